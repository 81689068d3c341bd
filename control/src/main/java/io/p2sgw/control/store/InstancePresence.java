package io.p2sgw.control.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * An instance's presence on a PostgreSQL store (issue 17): a session-level advisory lock, keyed by the instance's
 * incarnation, that the instance holds on a connection of its own for as long as it runs. When a process dies, even by
 * {@code kill -9}, its kernel closes its sockets and PostgreSQL ends the backend, and with it the lock, at once; a
 * process that is merely slow (a GC pause, a slow heartbeat) keeps it. {@code pg_locks} shows every role's locks, so
 * every instance sees the others' presence whatever role it connects as.
 */
public final class InstancePresence {
    /** PostgreSQL shows a bigint advisory key as classid (high 32 bits), objid (low 32 bits) and objsubid 1. */
    private static final int BIGINT_KEY = 1;

    private InstancePresence() {}

    /** The advisory lock key of an incarnation (a random UUID: its 128 bits folded to 64). */
    public static long key(String incarnation) {
        UUID u;
        try {
            u = UUID.fromString(incarnation);
        } catch (IllegalArgumentException notAUuid) {
            u = UUID.nameUUIDFromBytes(incarnation.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return u.getMostSignificantBits() ^ u.getLeastSignificantBits();
    }

    /**
     * Takes the presence of {@code incarnation} on {@code dedicated}, a connection outside any transaction that the
     * caller keeps open while the instance runs. False when it is held elsewhere (never, with a fresh incarnation).
     */
    public static boolean hold(Connection dedicated, String incarnation) throws SQLException {
        try (PreparedStatement s = dedicated.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, key(incarnation));
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    /** The keys of every presence held on this database now. */
    public static Set<Long> held(Connection c) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT classid::bigint, objid::bigint FROM pg_locks"
                + " WHERE locktype = 'advisory' AND objsubid = " + BIGINT_KEY + " AND granted"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add((r.getLong(1) << 32) | r.getLong(2));
            }
        }
        return out;
    }
}
