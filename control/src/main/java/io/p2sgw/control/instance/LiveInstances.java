package io.p2sgw.control.instance;

import io.p2sgw.control.store.InstancePresence;
import io.p2sgw.control.store.InstanceRepository;
import io.p2sgw.control.store.InstanceRepository.InstanceRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Which registered instances count as alive for what they reported (their sessions in the connection health, the SKU
 * caps, disconnect routing; issue 17). An instance is dead once its heartbeat has lapsed ({@link InstanceRegistry#LAPSE},
 * 10 s, as for its slot), or, on PostgreSQL, as soon as its presence ({@link InstancePresence}) is gone and its last
 * heartbeat is older than {@link #PRESENCE_GRACE}. A killed instance's sessions thus leave the others' lists 2 to 4 s
 * after the kill instead of 10 to 12 s, and a slow but living instance, which keeps its presence, stays listed until
 * the lapse, as before: its sessions do not flicker. The grace covers a living instance whose presence connection broke
 * and is taken again at its next heartbeat ({@link InstanceRegistry#heartbeat}).
 */
public final class LiveInstances {
    /** Two heartbeats: one may be slow while the presence is being taken again. */
    public static final Duration PRESENCE_GRACE = InstanceRegistry.HEARTBEAT_INTERVAL.multipliedBy(2);

    private final Clock clock;
    private final Duration lapse;
    private final boolean postgresql;

    public LiveInstances(Clock clock, Duration lapse, boolean postgresql) {
        this.clock = clock;
        this.lapse = lapse;
        this.postgresql = postgresql;
    }

    /** The names of the registered instances that are alive now, as read in {@code c}. */
    public Set<String> names(Connection c) throws SQLException {
        Instant now = clock.instant();
        Set<Long> present = postgresql ? InstancePresence.held(c) : Set.of();
        Set<String> out = new HashSet<>();
        for (InstanceRow r : InstanceRepository.list(c)) {
            Duration silent = Duration.between(r.heartbeatAt(), now);
            boolean lapsed = silent.compareTo(lapse) > 0;
            boolean gone = postgresql && silent.compareTo(PRESENCE_GRACE) > 0
                    && !present.contains(InstancePresence.key(r.incarnation()));
            if (!lapsed && !gone) {
                out.add(r.name());
            }
        }
        return out;
    }
}
