package io.p2sgw.common.log;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps a kind of log line readable under attack (issue 13: 2,000 junk connections wrote 1,998 lines, one each):
 * the first {@code linesPerPeriod} lines of each period are written, the rest only counted, and one summary line
 * ("suppressed K similar lines ...") says how many were left out once the period is over. The summary is written by the
 * first line of a later period or by {@link #flush}, which an owner with a timer calls about once per period so the
 * count of a flood that stopped is not left unsaid.
 *
 * <p>The line is a {@link Supplier}, so a suppressed line costs no string building. The clock is passed in (nanos, as
 * {@link System#nanoTime}), so a test runs hours of attack in no time. Thread-safe: callers are connection threads.
 */
public final class LogRateLimiter {
    private final String what;
    private final int linesPerPeriod;
    private final long periodNanos;
    private final LongSupplier nanoClock;
    private final Consumer<String> sink;

    private long periodStart;
    private boolean started;
    private int written;
    private long suppressed;

    /**
     * @param what           names the lines in the summary ("unidentified TCP connections")
     * @param linesPerPeriod lines written per period before the rest are counted
     * @param period         the length of a period
     * @param nanoClock      a monotonic clock in nanoseconds
     * @param sink           where lines go (a logger's {@code info} or {@code warn})
     */
    public LogRateLimiter(String what, int linesPerPeriod, Duration period, LongSupplier nanoClock, Consumer<String> sink) {
        if (linesPerPeriod < 1) {
            throw new IllegalArgumentException("linesPerPeriod must be positive");
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.what = Objects.requireNonNull(what, "what");
        this.linesPerPeriod = linesPerPeriod;
        this.periodNanos = period.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Writes the line if this period has room for it, else counts it. Returns whether it was written. */
    public boolean log(Supplier<String> line) {
        String summary;
        boolean write;
        synchronized (this) {
            summary = rollLocked(nanoClock.getAsLong());
            write = written < linesPerPeriod;
            if (write) {
                written++;
            } else {
                suppressed++;
            }
        }
        // Outside the lock: a sink may block on its appender.
        if (summary != null) {
            sink.accept(summary);
        }
        if (write) {
            sink.accept(line.get());
        }
        return write;
    }

    /** Writes the summary of a period that is over and had suppressed lines; nothing otherwise. */
    public void flush() {
        String summary;
        synchronized (this) {
            summary = rollLocked(nanoClock.getAsLong());
        }
        if (summary != null) {
            sink.accept(summary);
        }
    }

    /** Lines counted and not written in the current period (tests). */
    public synchronized long suppressedInPeriod() {
        return suppressed;
    }

    /** Starts a new period when the current one is over; returns its summary line if it suppressed any. */
    private String rollLocked(long now) {
        if (!started) {
            started = true;
            periodStart = now;
            return null;
        }
        if (now - periodStart < periodNanos) {
            return null;
        }
        String summary = suppressed == 0 ? null
                : "suppressed " + suppressed + " similar lines about " + what + " in the last "
                        + Duration.ofNanos(now - periodStart).toSeconds() + " s (at most " + linesPerPeriod + " per "
                        + Duration.ofNanos(periodNanos).toSeconds() + " s are written)";
        periodStart = now;
        written = 0;
        suppressed = 0;
        return summary;
    }
}
