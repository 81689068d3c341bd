package io.p2sgw.ikev2.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long the gateway lets a CHILD SA live before it rekeys it itself (RFC 7296 §2.8; ikev2.md §7.5). {@code
 * lifetime} is the hard limit: a CHILD SA still unreplaced then is not used any longer. The soft limit, where we
 * start a CREATE_CHILD_SA rekey, lies between {@link #SOFT_MIN} and {@link #SOFT_MAX} of it, drawn anew for each SA
 * so that the clients connected at one moment do not all rekey at the same second (strongSwan's {@code rand_time}
 * does the same).
 *
 * <p>The default of 2 h is ikev2.md §7.5's "CHILD SA about 2 h": longer than strongSwan's (1 h, rekeyed at
 * 54-60 min) and Apple's clients' own rekey times, so a default client always rekeys first and the gateway only steps
 * in for a client that does not (or a counter near its end, {@code OutboundEspSa#REKEY_THRESHOLD}); Azure's P2S
 * lifetimes are not published (azure-p2s.md §4.2 "SA lifetime defaults for P2S: UNCONFIRMED").
 */
public record ChildLifetime(Duration lifetime) {
    /** Shorter lifetimes than this leave no time for a rekey exchange with retransmissions (RFC 7296 §2.1). */
    public static final Duration MINIMUM = Duration.ofSeconds(10);
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(2);
    public static final ChildLifetime DEFAULT = new ChildLifetime(DEFAULT_LIFETIME);
    /** No lifetime at all: the gateway never rekeys on time (the counter's limit still applies). */
    public static final ChildLifetime UNLIMITED = new ChildLifetime(Duration.ZERO);
    /** The soft limit as a share of the hard one: 80-90 %, as strongSwan's rekey_time against its life_time. */
    static final double SOFT_MIN = 0.8;
    static final double SOFT_MAX = 0.9;

    public ChildLifetime {
        Objects.requireNonNull(lifetime, "lifetime");
        if (!lifetime.isZero() && lifetime.compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException("CHILD SA lifetime " + lifetime + " is below " + MINIMUM);
        }
    }

    public boolean unlimited() {
        return lifetime.isZero();
    }

    /** Milliseconds from a CHILD SA's start to our rekey of it; {@link Long#MAX_VALUE} when unlimited. */
    long softMillis(RandomGenerator random) {
        if (unlimited()) {
            return Long.MAX_VALUE;
        }
        double share = SOFT_MIN + (SOFT_MAX - SOFT_MIN) * random.nextDouble();
        return (long) (lifetime.toMillis() * share);
    }

    /** Milliseconds from a CHILD SA's start to its end; {@link Long#MAX_VALUE} when unlimited. */
    long hardMillis() {
        return unlimited() ? Long.MAX_VALUE : lifetime.toMillis();
    }
}
