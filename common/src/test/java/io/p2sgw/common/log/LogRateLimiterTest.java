package io.p2sgw.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The limiter on a fake clock: 2,000 junk connections in one period give 10 lines and one summary, not 2,000. */
class LogRateLimiterTest {
    private long now = 1_000_000_000L;
    private final List<String> lines = new ArrayList<>();
    private final LogRateLimiter log = new LogRateLimiter("unidentified TCP connections", 10, Duration.ofSeconds(10),
            () -> now, lines::add);

    @Test
    void writesTheFirstLinesOfAPeriodThenOneSummary() {
        for (int i = 0; i < 2000; i++) {
            int n = i;
            log.log(() -> "connection " + n);
        }
        assertEquals(10, lines.size(), "only the first 10 lines of the period");
        assertEquals("connection 9", lines.get(9));
        assertEquals(1990, log.suppressedInPeriod());

        now += Duration.ofSeconds(10).toNanos();
        log.log(() -> "connection after");
        assertEquals(12, lines.size());
        assertEquals("suppressed 1990 similar lines about unidentified TCP connections in the last 10 s (at most 10 per 10 s are written)",
                lines.get(10));
        assertEquals("connection after", lines.get(11), "a new period writes lines again");
    }

    @Test
    void flushWritesTheSummaryOfAFloodThatStopped() {
        for (int i = 0; i < 15; i++) {
            log.log(() -> "line");
        }
        log.flush();
        assertEquals(10, lines.size(), "the period is not over yet: nothing to summarise");
        now += Duration.ofSeconds(11).toNanos();
        log.flush();
        assertEquals(11, lines.size());
        assertTrue(lines.getLast().startsWith("suppressed 5 similar lines"), lines.getLast());
        now += Duration.ofSeconds(11).toNanos();
        log.flush();
        assertEquals(11, lines.size(), "a quiet period writes no summary");
    }

    @Test
    void aSuppressedLineIsNeverBuilt() {
        AtomicInteger built = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            boolean written = log.log(() -> "line " + built.incrementAndGet());
            assertEquals(i < 10, written);
        }
        assertEquals(10, built.get());
        assertFalse(log.log(() -> "x"));
    }
}
