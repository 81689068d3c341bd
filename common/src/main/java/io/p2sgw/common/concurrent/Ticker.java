package io.p2sgw.common.concurrent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One timer thread that ticks every live connection of a protocol (retransmits, keepalives, timeouts), instead of a
 * scheduled task per connection: an idle connection costs a set entry, not a timer. Protocol engines are sans-I/O and
 * learn the time from these ticks. Thread-safe.
 */
public final class Ticker<T extends Ticker.Tickable> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);
    /** The default tick period: fine enough for OpenVPN's 1 s retransmit and IKE's 0.5 s first retransmit. */
    public static final long DEFAULT_PERIOD_MILLIS = 200;

    /** What a ticker drives. */
    public interface Tickable {
        /** Called every period from the ticker's thread; must not block. */
        void tick();

        /** {@link #tick} threw: the connection is in an unknown state and should end with this reason. */
        void tickFailed(RuntimeException e);
    }

    private final Set<T> members = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    public Ticker(String threadName) {
        this(threadName, DEFAULT_PERIOD_MILLIS);
    }

    public Ticker(String threadName, long periodMillis) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tickAll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    public void add(T member) {
        members.add(member);
    }

    public void remove(T member) {
        members.remove(member);
    }

    /** Members ticked now (tests, metrics). */
    public int size() {
        return members.size();
    }

    private void tickAll() {
        for (T m : members) {
            try {
                m.tick();
            } catch (RuntimeException e) {
                LOG.warn("tick failed", e);
                try {
                    m.tickFailed(e);
                } catch (RuntimeException ignored) {
                    // the member is broken twice over; the next tick tries again
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
