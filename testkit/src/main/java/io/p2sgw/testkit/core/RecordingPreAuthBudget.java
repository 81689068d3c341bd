package io.p2sgw.testkit.core;

import io.p2sgw.dataplane.spi.PreAuthBudget;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A pre-authentication budget that records what a protocol reports and takes, and expires tickets on demand. */
public final class RecordingPreAuthBudget implements PreAuthBudget {
    private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    public final List<Held> tickets = new CopyOnWriteArrayList<>();
    /** When false, {@link #enter} answers empty, as the core's does over its caps. */
    public volatile boolean places = true;

    /** One ticket a protocol took. */
    public final class Held implements Ticket {
        public final Transport transport;
        public final InetSocketAddress from;
        private final Runnable onExpiry;
        public volatile boolean released;

        Held(Transport transport, InetSocketAddress from, Runnable onExpiry) {
            this.transport = transport;
            this.from = from;
            this.onExpiry = onExpiry;
        }

        @Override
        public void release() {
            released = true;
        }

        @Override
        public void refuse(Refusal reason) {
            if (!released) {
                count(transport, reason);
            }
            released = true;
        }

        /** What the core does at the deadline. */
        public void expire() {
            if (!released) {
                released = true;
                count(transport, Refusal.TIMEOUT);
                onExpiry.run();
            }
        }
    }

    @Override
    public Optional<Ticket> enter(Transport transport, InetSocketAddress from, Runnable onExpiry) {
        if (!places) {
            count(transport, Refusal.TOTAL_CAP);
            return Optional.empty();
        }
        Held h = new Held(transport, from, onExpiry);
        tickets.add(h);
        return Optional.of(h);
    }

    @Override
    public void refused(Transport transport, InetSocketAddress from, Refusal reason) {
        count(transport, reason);
    }

    private void count(Transport transport, Refusal reason) {
        refusals.computeIfAbsent(transport.tag() + "/" + reason.tag(), k -> new AtomicLong()).incrementAndGet();
    }

    /** Refusals counted for a transport and reason. */
    public long refusals(Transport transport, Refusal reason) {
        AtomicLong n = refusals.get(transport.tag() + "/" + reason.tag());
        return n == null ? 0 : n.get();
    }
}
