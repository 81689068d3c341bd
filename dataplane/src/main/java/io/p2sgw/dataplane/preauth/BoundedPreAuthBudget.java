package io.p2sgw.dataplane.preauth;

import io.p2sgw.common.log.LogRateLimiter;
import io.p2sgw.dataplane.spi.PreAuthBudget;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The core's {@link PreAuthBudget} (issue 13): a deadline and a place per unauthenticated connection or peer, capped per
 * source address and in total, and a counter per transport and refusal reason for {@code /metrics}.
 *
 * <p>Time comes from a clock passed in (nanos) and deadlines are checked by {@link #tick}, which the core calls on a
 * timer a few times per deadline; a test drives both and never waits. Every ticket gets the same deadline length, so
 * tickets expire in the order they were taken: one insertion-ordered set finds the expired ones at its head, and a
 * released ticket leaves it at once (a flood of connections that close at once leaves nothing behind; the set never
 * holds more than the total cap).
 *
 * <p>Refusals at a connection's grain (caps, timeouts) are logged through a {@link LogRateLimiter}: the first
 * {@link #LOG_LINES_PER_PERIOD} per {@link #LOG_PERIOD}, then one summary. Refusals protocols report per datagram
 * ({@link #refused}) only count (a flood of them must cost no allocation); {@link #tick} logs their totals since the
 * last line once per period while they grow.
 */
public final class BoundedPreAuthBudget implements PreAuthBudget {
    /** Log lines about refused unauthenticated clients per period, before they are only counted. */
    public static final int LOG_LINES_PER_PERIOD = 10;
    public static final Duration LOG_PERIOD = Duration.ofSeconds(10);

    private final PreAuthLimits limits;
    private final LongSupplier nanoClock;
    private final LongAdder[] refusals = new LongAdder[Transport.values().length * Refusal.values().length];
    private final LogRateLimiter log;
    private final Consumer<String> summaries;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}: tickets held per source address, and in all. */
    private final Map<InetAddress, Integer> perSource = new HashMap<>();
    private int held;
    /** Guarded by {@link #lock}: the held tickets in the order taken, which is deadline order (identity equality). */
    private final LinkedHashSet<Held> byDeadline = new LinkedHashSet<>();
    /** Guarded by {@link #lock}: the newest held ticket of each remote address and port, which admission releases. */
    private final Map<InetSocketAddress, Held> byRemote = new HashMap<>();

    /** Guarded by {@link #lock} (tick): refusals reported by protocols, as of the last summary line. */
    private final long[] summarised = new long[refusals.length];
    private long lastSummaryNanos;
    private boolean summaryStarted;

    /**
     * @param nanoClock a monotonic clock ({@link System#nanoTime} in the core)
     * @param logSink   where the budget's lines go (the core's logger at INFO)
     */
    public BoundedPreAuthBudget(PreAuthLimits limits, LongSupplier nanoClock, Consumer<String> logSink) {
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.summaries = logSink;
        this.log = new LogRateLimiter("refused unauthenticated clients", LOG_LINES_PER_PERIOD, LOG_PERIOD, nanoClock, logSink);
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    public PreAuthLimits limits() {
        return limits;
    }

    @Override
    public Optional<Ticket> enter(Transport transport, InetSocketAddress from, Runnable onExpiry) {
        InetAddress address = from.getAddress();
        Refusal refusal;
        int count;
        synchronized (lock) {
            int fromSource = perSource.getOrDefault(address, 0);
            if (fromSource >= limits.perSource()) {
                refusal = Refusal.PER_SOURCE_CAP;
                count = fromSource;
            } else if (held >= limits.total()) {
                refusal = Refusal.TOTAL_CAP;
                count = held;
            } else {
                Held h = new Held(transport, from, address, nanoClock.getAsLong() + limits.deadline().toNanos(), onExpiry);
                perSource.put(address, fromSource + 1);
                held++;
                byDeadline.add(h);
                byRemote.put(from, h);
                return Optional.of(h);
            }
        }
        count(transport, refusal);
        int n = count;
        log.log(() -> transport.name() + " client " + from + " refused before authentication: " + (refusal == Refusal.PER_SOURCE_CAP
                ? n + " unauthenticated connections from " + address.getHostAddress() + " already (at most " + limits.perSource() + ")"
                : n + " unauthenticated connections held already (at most " + limits.total() + ")"));
        return Optional.empty();
    }

    @Override
    public void refused(Transport transport, InetSocketAddress from, Refusal reason) {
        count(transport, reason);
    }

    /**
     * A client was admitted ({@code GatewayCore#admit}) with this public address: the ticket of the connection or
     * peer it came from is released, so an admitted session never meets the deadline.
     */
    public void admitted(InetSocketAddress publicAddress) {
        Held h;
        synchronized (lock) {
            h = byRemote.get(publicAddress);
        }
        if (h != null) {
            h.release();
        }
    }

    /**
     * Runs the expiry action of every ticket past its deadline (counted {@link Refusal#TIMEOUT}), and once per
     * {@link #LOG_PERIOD} logs what protocols refused since the last such line, and the rate limiter's summary.
     */
    public void tick() {
        long now = nanoClock.getAsLong();
        List<Held> expired = new ArrayList<>();
        String summary = null;
        synchronized (lock) {
            for (Iterator<Held> it = byDeadline.iterator(); it.hasNext(); ) {
                Held h = it.next();
                if (now - h.deadline < 0) {
                    break;
                }
                it.remove();
                releaseLocked(h);
                expired.add(h);
            }
            if (!summaryStarted) {
                summaryStarted = true;
                lastSummaryNanos = now;
            } else if (now - lastSummaryNanos >= LOG_PERIOD.toNanos()) {
                summary = reportedSinceLastSummaryLocked(Duration.ofNanos(now - lastSummaryNanos));
                lastSummaryNanos = now;
            }
        }
        for (Held h : expired) {
            count(h.transport, Refusal.TIMEOUT);
            log.log(() -> h.transport.name() + " client " + h.from + " not authenticated within " + limits.deadline().toSeconds()
                    + " s; closed");
            try {
                h.onExpiry.run();
            } catch (RuntimeException e) {
                summaries.accept("expiry of " + h.transport.name() + " client " + h.from + " failed: " + e);
            }
        }
        if (summary != null) {
            summaries.accept(summary);
        }
        log.flush();
    }

    /** Refusals counted for {@code transport} and {@code reason} since the start ({@code /metrics}). */
    public long refusals(Transport transport, Refusal reason) {
        return refusals[index(transport, reason)].sum();
    }

    /** Unauthenticated tickets held now ({@code /metrics}). */
    public int held() {
        synchronized (lock) {
            return held;
        }
    }

    /** Tickets waiting for their deadline (tests: released ones must not linger). */
    int awaitingDeadline() {
        synchronized (lock) {
            return byDeadline.size();
        }
    }

    /** Tickets held now by one source address (tests). */
    public int heldFrom(InetAddress address) {
        synchronized (lock) {
            return perSource.getOrDefault(address, 0);
        }
    }

    private void count(Transport transport, Refusal reason) {
        refusals[index(transport, reason)].increment();
    }

    private static int index(Transport transport, Refusal reason) {
        return transport.ordinal() * Refusal.values().length + reason.ordinal();
    }

    /** "UDP refused before authentication in the last 10 s: junk 40000, bad_hmac 12", or null when none. */
    private String reportedSinceLastSummaryLocked(Duration over) {
        StringBuilder b = null;
        for (Transport t : Transport.values()) {
            StringBuilder line = null;
            for (Refusal r : new Refusal[] {Refusal.JUNK, Refusal.BAD_HMAC, Refusal.HANDSHAKE_FAILED}) {
                int i = index(t, r);
                long now = refusals[i].sum();
                long delta = now - summarised[i];
                summarised[i] = now;
                if (delta > 0) {
                    line = line == null ? new StringBuilder(t.name() + ": ") : line.append(", ");
                    line.append(r.tag()).append(' ').append(delta);
                }
            }
            if (line != null) {
                b = b == null ? new StringBuilder() : b.append("; ");
                b.append(line);
            }
        }
        return b == null ? null : "dropped before authentication in the last " + over.toSeconds() + " s: " + b;
    }

    private void releaseLocked(Held h) {
        if (h.released) {
            return;
        }
        h.released = true;
        held--;
        byDeadline.remove(h);
        perSource.computeIfPresent(h.address, (a, n) -> n <= 1 ? null : n - 1);
        byRemote.remove(h.from, h);
    }

    /** A held place. */
    private final class Held implements Ticket {
        final Transport transport;
        final InetSocketAddress from;
        final InetAddress address;
        final long deadline;
        final Runnable onExpiry;
        /** Guarded by {@link #lock}. */
        boolean released;

        Held(Transport transport, InetSocketAddress from, InetAddress address, long deadline, Runnable onExpiry) {
            this.transport = transport;
            this.from = from;
            this.address = address;
            this.deadline = deadline;
            this.onExpiry = onExpiry;
        }

        @Override
        public void release() {
            synchronized (lock) {
                releaseLocked(this);
            }
        }

        @Override
        public void refuse(Refusal reason) {
            boolean wasHeld;
            synchronized (lock) {
                wasHeld = !released;
                releaseLocked(this);
            }
            if (wasHeld) {
                count(transport, reason);
            }
        }
    }
}
