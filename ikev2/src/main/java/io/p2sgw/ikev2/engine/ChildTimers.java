package io.p2sgw.ikev2.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * When each CHILD SA of a tunnel is due for the gateway's rekey (its soft limit, with jitter) and when it ends (its
 * hard limit), by our inbound SPI (RFC 7296 §2.8; ikev2.md §7.5). Belongs to the tunnel rather than to one IKE SA:
 * after an IKE SA rekey the CHILD SAs move to the new IKE SA with their clocks running ({@link
 * IkeAction.IkeRekeyed#timers()}). Confined to the tunnel's thread.
 */
public final class ChildTimers {
    /** After a rekey of ours that failed (NO_PROPOSAL_CHOSEN, TEMPORARY_FAILURE, ...), the next try: RFC 7296 §2.25. */
    static final long RETRY_MILLIS = 10_000;

    /** {@code hurried}: the sequence numbers asked for a rekey once already (see {@link #rekeySoon}). */
    private record Due(long rekeyAt, long expiresAt, boolean hurried) {
        Due(long rekeyAt, long expiresAt) {
            this(rekeyAt, expiresAt, false);
        }

        Due rekeyAt(long at) {
            return new Due(at, expiresAt, hurried);
        }
    }

    private final ChildLifetime lifetime;
    private final RandomGenerator random;
    private final Map<Integer, Due> bySpi = new HashMap<>();

    public ChildTimers(ChildLifetime lifetime, RandomGenerator random) {
        this.lifetime = lifetime;
        this.random = random;
    }

    /** No lifetimes: the gateway rekeys only for the sequence number limit (tests, and the engine's defaults). */
    public static ChildTimers unlimited() {
        return new ChildTimers(ChildLifetime.UNLIMITED, new java.util.Random(0));
    }

    /** {@code child} was installed at {@code now}: its clocks start. */
    void started(ChildSa child, long now) {
        bySpi.put(child.inboundSpi(), new Due(plus(now, lifetime.softMillis(random)), plus(now, lifetime.hardMillis())));
    }

    /**
     * Rekey {@code child} at the next chance: its outbound sequence numbers near their end (RFC 4303 §3.3.3). Once per
     * SA: the data path reports it on every packet from then on, and a rekey under way or failed keeps its own time.
     */
    void rekeySoon(ChildSa child, long now) {
        Due d = bySpi.get(child.inboundSpi());
        if (d != null && !d.hurried()) {
            bySpi.put(child.inboundSpi(), new Due(Math.min(now, d.rekeyAt()), d.expiresAt(), true));
        }
    }

    /**
     * {@code child} has a replacement (a rekey of ours under way, or one done either way): no rekey of it is due any
     * more, only its end if the delete of it never comes.
     */
    void replaced(ChildSa child) {
        Due d = bySpi.get(child.inboundSpi());
        if (d != null) {
            bySpi.put(child.inboundSpi(), d.rekeyAt(Long.MAX_VALUE));
        }
    }

    /** Our rekey of {@code child} failed: try again a little later, never after its end. */
    void retryLater(ChildSa child, long now) {
        Due d = bySpi.get(child.inboundSpi());
        if (d != null) {
            bySpi.put(child.inboundSpi(), d.rekeyAt(Math.min(plus(now, RETRY_MILLIS), d.expiresAt())));
        }
    }

    void forget(ChildSa child) {
        bySpi.remove(child.inboundSpi());
    }

    boolean rekeyDue(ChildSa child, long now) {
        Due d = bySpi.get(child.inboundSpi());
        return d != null && now >= d.rekeyAt();
    }

    boolean expired(ChildSa child, long now) {
        Due d = bySpi.get(child.inboundSpi());
        return d != null && now >= d.expiresAt();
    }

    /** The earliest moment something is due, {@link Long#MAX_VALUE} for never: the host's timer looks no closer. */
    public long next() {
        long next = Long.MAX_VALUE;
        for (Due d : bySpi.values()) {
            next = Math.min(next, Math.min(d.rekeyAt(), d.expiresAt()));
        }
        return next;
    }

    private static long plus(long now, long millis) {
        return millis == Long.MAX_VALUE ? Long.MAX_VALUE : now + millis;
    }
}
