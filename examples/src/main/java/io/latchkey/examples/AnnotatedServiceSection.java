package io.latchkey.examples;

/*
 * ==== ANNOTATED SERVICE SECTION — reserved for the annotations engineer ====
 * Replace this placeholder with a chapter that proxies a small service interface whose methods carry
 * @DistributedLock / @RateLimited / @Deduplicated / @Idempotent / @ConcurrencyLimited (io.latchkey.annotations),
 * calls it a few times through fleet.main(), and narrates what each annotation did. Keep it short and make it
 * throw if the expected behaviour is not observed (the demo test runs it).
 */
final class AnnotatedServiceSection implements Section {

    @Override
    public String title() {
        return "An annotated service";
    }

    @Override
    public void run(Fleet fleet, Narrator say) {
        say.say("(This chapter will show a service whose methods carry Latchkey annotations; it is not written yet.)");
    }
}
