package io.latchkey.examples;

/** One chapter of the demo; it must really use its module. */
interface Section {

    String title();

    void run(Fleet fleet, Narrator say) throws Exception;
}
