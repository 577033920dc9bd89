package io.latchkey.examples.spring;

import io.latchkey.dedup.ResultCodec;
import io.latchkey.spring.LatchkeyProxiesCustomizer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small shop service on the Latchkey starter: a rate-limited quote endpoint (429 with RateLimit headers), an
 * idempotent order POST, and a locked scheduled report. Without {@code spring.data.redis.*} it starts its own
 * embedded {@code redis-server}. {@code --demo} calls its own endpoints, prints what happened and exits:
 *
 * <pre>./mvnw -q -B -pl examples/spring-boot -am compile exec:java -Dexec.args=--demo</pre>
 */
@SpringBootApplication
@EnableScheduling
public class ShopApplication {

    /** Starts the service; with {@code --demo}, runs the tour and exits with its status. */
    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the application; with {@code --demo} runs the tour, closes it and returns the exit code. */
    static int run(String... args) {
        boolean demo = java.util.Arrays.asList(args).contains("--demo");
        SpringApplication app = new SpringApplication(ShopApplication.class);
        app.addListeners(new EmbeddedRedisWhenUnconfigured());
        if (demo) {
            // any free port, and quiet: the tour prints the story itself
            app.setDefaultProperties(java.util.Map.of("server.port", "0", "logging.level.root", "WARN",
                    "shop.report.every", "300ms", "spring.main.banner-mode", "off"));
        }
        ConfigurableApplicationContext context = app.run(args);
        if (!demo) {
            return 0;
        }
        int code = context.getBean(DemoTour.class).run();
        SpringApplication.exit(context);
        return code;
    }

    /** Results of {@code @Idempotent} methods are stored as JSON, with Boot's Jackson mapper. */
    @Bean
    LatchkeyProxiesCustomizer jsonResults(JsonMapper json) {
        return proxies -> proxies.resultCodecs(type -> ResultCodec.of(json::writeValueAsString,
                s -> json.readValue(s, json.getTypeFactory().constructType(type))));
    }
}
