package io.latchkey.examples.spring;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code --demo}: calls the running service over HTTP like a client would, prints what happened, and checks it —
 * exactly 5 quotes then 429s, one order placed for two identical POSTs, the scheduled job run under its lock, and
 * the health endpoint's latchkey component UP.
 */
@Component
public class DemoTour {

    private final Environment environment;
    private final OrderService orders;
    private final ReportJob report;
    private final PrintStream out = System.out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int failures;

    /** The tour over the running application. */
    public DemoTour(Environment environment, OrderService orders, ReportJob report) {
        this.environment = environment;
        this.orders = orders;
        this.report = report;
    }

    /** Runs the tour; returns the exit code (0 when every check held). */
    public int run() {
        String base = "http://127.0.0.1:" + environment.getProperty("local.server.port");
        out.println("Shop service on " + base);
        try {
            quotes(base);
            orders(base);
            scheduledReport();
            health(base);
        } catch (IOException e) {
            check(false, "HTTP call failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            check(false, "interrupted");
        }
        out.println(failures == 0 ? "\nDemo complete: every check held." : "\nDemo FAILED: " + failures
                + " check(s) did not hold.");
        return failures == 0 ? 0 : 1;
    }

    private void quotes(String base) throws IOException, InterruptedException {
        out.println("\n1. GET /quotes/alice seven times (@RateLimited: 5 per minute per customer)");
        int ok = 0;
        HttpResponse<String> last = null;
        for (int i = 1; i <= 7; i++) {
            last = send(HttpRequest.newBuilder(URI.create(base + "/quotes/alice")).GET());
            out.println("   #" + i + " -> " + last.statusCode());
            ok += last.statusCode() == 200 ? 1 : 0;
        }
        for (String h : List.of("RateLimit", "RateLimit-Policy", "Retry-After")) {
            out.println("   " + h + ": " + last.headers().firstValue(h).orElse("(missing)"));
        }
        check(ok == 5 && last.statusCode() == 429 && last.headers().firstValue("Retry-After").isPresent(),
                "5 quotes allowed, then 429 with Retry-After");
        int bob = send(HttpRequest.newBuilder(URI.create(base + "/quotes/bob")).GET()).statusCode();
        check(bob == 200, "another customer has a quota of their own (bob -> " + bob + ")");
    }

    private void orders(String base) throws IOException, InterruptedException {
        out.println("\n2. POST /orders twice with the same Idempotency-Key (@Idempotent)");
        String body = "{\"item\":\"book\",\"quantity\":2}";
        HttpResponse<String> first = post(base, "k-1", body);
        HttpResponse<String> retry = post(base, "k-1", body);
        out.println("   first -> " + first.statusCode() + " " + first.body());
        out.println("   retry -> " + retry.statusCode() + " " + retry.body());
        check(first.statusCode() == 200 && first.body().equals(retry.body()) && orders.placedCount() == 1,
                "the retry got the same receipt and one order was placed");
        HttpResponse<String> misuse = post(base, "k-1", "{\"item\":\"lamp\",\"quantity\":1}");
        out.println("   same key, other body -> " + misuse.statusCode());
        check(misuse.statusCode() == 422, "a reused key with another body is rejected (422)");
    }

    private void scheduledReport() throws InterruptedException {
        out.println("\n3. The @Scheduled report job runs under @DistributedLock(\"job:report\")");
        report.awaitTwoRuns(Duration.ofSeconds(20));
        out.println("   runs so far: " + report.runs() + ", lock held during the run: " + report.lockHeldDuringRun());
        check(report.runs() >= 2 && report.lockHeldDuringRun(), "the job ran, holding its lock");
    }

    private void health(String base) throws IOException, InterruptedException {
        out.println("\n4. GET /actuator/health/latchkey");
        HttpResponse<String> h = send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/latchkey")).GET());
        out.println("   " + h.statusCode() + " " + h.body());
        check(h.statusCode() == 200 && h.body().contains("\"UP\""), "Latchkey is UP");
    }

    private HttpResponse<String> post(String base, String key, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/orders")).header("Idempotency-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void check(boolean ok, String what) {
        out.println("   " + (ok ? "ok: " : "FAILED: ") + what);
        if (!ok) {
            failures++;
        }
    }
}
