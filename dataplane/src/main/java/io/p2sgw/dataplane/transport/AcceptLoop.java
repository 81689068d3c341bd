package io.p2sgw.dataplane.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The listener's accept loop, paced when {@code accept()} fails (issue 13). When descriptors run out
 * ({@code EMFILE}/{@code ENFILE}: "Too many open files") {@code accept} fails at once and keeps failing until
 * connections close; retried without a pause it spun a CPU and wrote 1.2 million warnings in 20 s. Here the
 * loop waits after a failure, twice as long after each further one from {@link #MIN_PAUSE} up to
 * {@link #MAX_PAUSE}, back to no wait after the first success; and it logs at most one line per
 * {@link #LOG_PERIOD}, with the number of failures it did not log. Clock and sleep are passed in, so a test
 * runs hours of failures in no time.
 *
 * @param <C> what an accept returns (a {@code SocketChannel} in the acceptor)
 */
final class AcceptLoop<C> {
    /** The first pause after a failure: short, so a transient failure costs a client almost nothing. */
    static final Duration MIN_PAUSE = Duration.ofMillis(10);
    /** The longest pause: new clients wait at most this long once descriptors are free again. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(1);
    /** At most one warning per period while accept keeps failing. */
    static final Duration LOG_PERIOD = Duration.ofSeconds(10);

    /** The listening socket as the loop sees it. */
    interface Source<C> {
        C accept() throws IOException;

        boolean isOpen();
    }

    /** Waits; a real one sleeps the thread. */
    interface Sleeper {
        Sleeper THREAD = d -> Thread.sleep(d);

        void sleep(Duration d) throws InterruptedException;
    }

    /** Where the loop reports: log lines and one call per failed accept (metrics). */
    interface Reports {
        void warn(String line);

        void info(String line);

        void acceptFailed();
    }

    private final String name;
    private final Source<C> source;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private final Reports reports;

    /** Zero while accept works. */
    private long pauseNanos;
    /** Failures in the current run of failures, and those not logged since the last warning. */
    private long failuresInRun;
    private long unlogged;
    private long lastWarningNanos;
    private boolean warnedInRun;

    /** @param name the listener, in log lines ("TCP 0.0.0.0:443") */
    AcceptLoop(String name, Source<C> source, LongSupplier nanoClock, Sleeper sleeper, Reports reports) {
        this.name = name;
        this.source = source;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.reports = reports;
    }

    /** Accepts until the source is closed (or the thread interrupted), giving each accepted connection to {@code accepted}. */
    void run(Consumer<C> accepted) {
        while (source.isOpen()) {
            C c;
            try {
                c = source.accept();
            } catch (java.nio.channels.ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!source.isOpen()) {
                    return;
                }
                try {
                    sleeper.sleep(failed(e));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            succeeded();
            accepted.accept(c);
        }
    }

    /** Records a failed accept; returns how long to wait before the next one. */
    Duration failed(IOException e) {
        reports.acceptFailed();
        long now = nanoClock.getAsLong();
        failuresInRun++;
        pauseNanos = pauseNanos == 0 ? MIN_PAUSE.toNanos() : Math.min(pauseNanos * 2, MAX_PAUSE.toNanos());
        if (!warnedInRun) {
            warnedInRun = true;
            lastWarningNanos = now;
            reports.warn("accept on " + name + " failed: " + e.getMessage() + "; retrying after " + MIN_PAUSE.toMillis()
                    + " ms, backing off to " + MAX_PAUSE.toMillis() + " ms; at most one line per " + LOG_PERIOD.toSeconds()
                    + " s while it fails");
        } else if (now - lastWarningNanos >= LOG_PERIOD.toNanos()) {
            reports.warn("accept on " + name + " still failing: " + e.getMessage() + " (" + (unlogged + 1)
                    + " failures since the last line, " + failuresInRun + " in a row; retrying every "
                    + Duration.ofNanos(pauseNanos).toMillis() + " ms)");
            lastWarningNanos = now;
            unlogged = 0;
        } else {
            unlogged++;
        }
        return Duration.ofNanos(pauseNanos);
    }

    /** Records a successful accept: the next failure starts a new run with the shortest pause. */
    void succeeded() {
        if (failuresInRun > 0) {
            reports.info("accept on " + name + " works again after " + failuresInRun + " failures");
        }
        pauseNanos = 0;
        failuresInRun = 0;
        unlogged = 0;
        warnedInRun = false;
    }
}
