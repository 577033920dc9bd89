package io.latchkey.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The example's own smoke test: {@code --demo} starts everything, exercises it over HTTP, and ends with 0. */
class ShopApplicationTest {

    @Test
    void theDemoTourPassesAndEnds() {
        assertThat(ShopApplication.run("--demo")).isZero();
    }
}
