package io.latchkey.examples.spring;

import io.latchkey.annotations.DistributedLock;
import io.latchkey.lock.Locks;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job that must not run on two instances at once: every instance schedules it, the one that takes the
 * lock runs it; on the others the starter skips the run quietly (see docs/spring-boot.md).
 */
@Component
public class ReportJob {

    private final Locks locks;
    private final AtomicInteger runs = new AtomicInteger();
    private final CountDownLatch firstTwoRuns = new CountDownLatch(2);
    private volatile boolean lockHeldDuringRun;

    /** The job; {@code locks} only to show that the lock is held while it runs. */
    public ReportJob(Locks locks) {
        this.locks = locks;
    }

    /** Builds the report under the lock. */
    @Scheduled(fixedDelayString = "${shop.report.every:1m}")
    @DistributedLock(name = "job:report", lease = "5m")
    public void buildReport() {
        lockHeldDuringRun = locks.lock("job:report").isLocked();
        runs.incrementAndGet();
        firstTwoRuns.countDown();
    }

    /** Waits until the job has run twice here; false if {@code timeout} passed first. */
    public boolean awaitTwoRuns(Duration timeout) throws InterruptedException {
        return firstTwoRuns.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How often the job ran here. */
    public int runs() {
        return runs.get();
    }

    /** Whether the last run saw its lock held. */
    public boolean lockHeldDuringRun() {
        return lockHeldDuringRun;
    }
}
