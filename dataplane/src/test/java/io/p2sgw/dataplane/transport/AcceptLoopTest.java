package io.p2sgw.dataplane.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The accept loop under exhausted descriptors (issue 13: 1.2 million warnings in 20 s). Time is a fake clock the
 * sleeper advances, so the bounds are exact counts over simulated time, never wall-clock timing.
 */
@Timeout(30)
class AcceptLoopTest {
    /** Stops a loop that never waits, so a missing backoff fails the test instead of hanging it. */
    private static final int RUNAWAY = 100_000;

    private long now;
    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();
    private int failuresCounted;
    private int attempts;

    private final AcceptLoop.Reports reports = new AcceptLoop.Reports() {
        @Override
        public void warn(String line) {
            warnings.add(line);
        }

        @Override
        public void info(String line) {
            infos.add(line);
        }

        @Override
        public void acceptFailed() {
            failuresCounted++;
        }
    };

    /** A listener whose accept fails when {@code fails} says so for the attempt number, open until {@code until}. */
    private AcceptLoop<String> loop(IntPredicate fails, Duration until) {
        AcceptLoop.Source<String> source = new AcceptLoop.Source<>() {
            @Override
            public String accept() throws IOException {
                int n = ++attempts;
                if (fails.test(n)) {
                    throw new IOException("Too many open files");
                }
                return "connection " + n;
            }

            @Override
            public boolean isOpen() {
                return now < until.toNanos() && attempts < RUNAWAY;
            }
        };
        AcceptLoop.Sleeper sleeper = d -> {
            pauses.add(d);
            now += d.toNanos();
        };
        return new AcceptLoop<>("TCP test", source, () -> now, sleeper, reports);
    }

    @Test
    void twentySecondsOfFailuresMakeFewAttemptsAndAtMostOneLinePerPeriod() {
        Duration window = Duration.ofSeconds(20);
        List<String> accepted = new ArrayList<>();
        loop(n -> true, window).run(accepted::add);

        assertEquals(List.of(), accepted);
        // 10, 20, ..., 640 ms (7 pauses, 1.27 s), then one per second: about 26 attempts, not millions.
        long bound = 7 + window.toSeconds() + 1;
        assertTrue(attempts <= bound, attempts + " attempts in " + window);
        assertTrue(attempts >= window.toSeconds(), "it keeps trying: " + attempts);
        long lines = window.dividedBy(AcceptLoop.LOG_PERIOD) + 1;
        assertTrue(warnings.size() <= lines, warnings.size() + " lines: " + warnings);
        assertTrue(warnings.size() >= 2, "a lasting failure is logged again: " + warnings);
        assertEquals(attempts, failuresCounted, "every failure is counted for the metrics");
        assertTrue(warnings.getFirst().contains("Too many open files"), warnings.getFirst());
    }

    @Test
    void eachLaterLineCountsTheFailuresItStandsFor() {
        loop(n -> true, Duration.ofSeconds(35)).run(c -> { });
        long reported = 1; // the first line stands for the first failure
        Pattern count = Pattern.compile("\\((\\d+) failures since the last line");
        for (String line : warnings.subList(1, warnings.size())) {
            Matcher m = count.matcher(line);
            assertTrue(m.find(), line);
            reported += Long.parseLong(m.group(1));
        }
        // Failures after the last line are not reported yet; all others are, exactly once.
        assertTrue(reported <= attempts && attempts - reported < AcceptLoop.LOG_PERIOD.toSeconds() + 1,
                reported + " reported of " + attempts + ": " + warnings);
    }

    @Test
    void pausesDoubleUpToTheMaximumAndStartAgainAfterASuccess() {
        // Attempts 1-10 fail, 11 succeeds, 12-13 fail, then the listener stays closed.
        List<String> accepted = new ArrayList<>();
        loop(n -> n != 11 && n <= 13, Duration.ofSeconds(60)).run(c -> {
            accepted.add(c);
            if (accepted.size() > 1) {
                now = Duration.ofSeconds(60).toNanos();
            }
        });
        List<Long> ms = pauses.stream().map(Duration::toMillis).toList();
        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L, 1000L, 10L, 20L), ms.subList(0, 12));
        assertEquals("connection 11", accepted.getFirst());
        assertTrue(infos.contains("accept on TCP test works again after 10 failures"), infos.toString());
        assertEquals(2, warnings.stream().filter(l -> l.contains("failed: Too many open files")).limit(2).count(),
                "a new run of failures is logged at once: " + warnings);
    }

    @Test
    void anAcceptThatWorksNeverWaits() {
        List<String> accepted = new ArrayList<>();
        AcceptLoop<String> l = loop(n -> false, Duration.ofSeconds(1));
        // The clock never moves without a pause; stop after a few connections.
        l.run(c -> {
            accepted.add(c);
            if (accepted.size() == 5) {
                now = Duration.ofSeconds(1).toNanos();
            }
        });
        assertEquals(5, accepted.size());
        assertEquals(List.of(), pauses);
        assertEquals(List.of(), warnings);
    }

    @Test
    void anInterruptedPauseEndsTheLoop() {
        AcceptLoop.Source<String> failing = new AcceptLoop.Source<>() {
            @Override
            public String accept() throws IOException {
                attempts++;
                throw new IOException("Too many open files");
            }

            @Override
            public boolean isOpen() {
                return true;
            }
        };
        new AcceptLoop<>("TCP test", failing, () -> now, d -> {
            throw new InterruptedException();
        }, reports).run(c -> { });
        assertEquals(1, attempts);
        assertTrue(Thread.interrupted(), "the interrupt is kept for the thread's owner");
    }
}
