package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.latchkey.annotations.Limit;
import io.latchkey.annotations.RateLimited;
import io.latchkey.core.Latchkey;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A whole Boot application with no Latchkey code but annotations: a rate-limited controller answers exactly its
 * limit then 429 with the rate-limit headers, Latchkey's meters land in Boot's registry, and Actuator's health
 * endpoint shows the latchkey component.
 */
@SpringBootTest(classes = SpringBootApplicationTest.App.class, properties = {
        "management.endpoint.health.show-details=always", "management.endpoints.web.exposure.include=health"})
@AutoConfigureMockMvc
class SpringBootApplicationTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", SharedRedis::port);
        registry.add("latchkey.namespace", () -> "boot-app-" + ProcessHandle.current().pid());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(QuoteController.class)
    static class App {
    }

    /** A controller of the application. */
    @RestController
    static class QuoteController {
        @GetMapping("/quotes/{customer}")
        @RateLimited(name = "quotes", key = "#customer", limits = @Limit(permits = 3, window = "1h"))
        public String quote(@PathVariable String customer) {
            return "quote for " + customer;
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Latchkey latchkey;

    @Test
    void aRateLimitedControllerAnswersExactlyItsLimitThen429WithHeaders() throws Exception {
        int ok = 0;
        int limited = 0;
        MvcResult last = null;
        for (int i = 0; i < 8; i++) {
            last = mvc.perform(get("/quotes/alice")).andReturn();
            int code = last.getResponse().getStatus();
            if (code == 200) {
                ok++;
            } else if (code == 429) {
                limited++;
            }
        }
        assertThat(ok).isEqualTo(3);
        assertThat(limited).isEqualTo(5);
        assertThat(last.getResponse().getHeader("RateLimit")).contains("r=0");
        assertThat(last.getResponse().getHeader("RateLimit-Policy")).contains("q=3");
        assertThat(Long.parseLong(last.getResponse().getHeader("Retry-After"))).isBetween(1L, 3600L);
        mvc.perform(get("/quotes/alice")).andExpect(status().isTooManyRequests())
                .andExpect(jsonPath("$.status").value(429))
                .andExpect(header().exists("Retry-After"));
        mvc.perform(get("/quotes/bob")).andExpect(status().isOk());
        assertThat(meters.find("latchkey.ratelimit.decisions").tag("name", "quotes").counters()).isNotEmpty();
    }

    @Test
    void actuatorHealthShowsTheLatchkeyComponent() throws Exception {
        assertThat(latchkey.namespace()).startsWith("boot-app-");
        mvc.perform(get("/actuator/health")).andExpect(status().isOk())
                .andExpect(jsonPath("$.components.latchkey.status").value("UP"))
                .andExpect(jsonPath("$.components.latchkey.details.pingMillis").exists());
    }
}
