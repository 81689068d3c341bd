package io.p2sgw.control.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** ARM long-running operations in the store, so that any instance answers a poll (issue 17). */
public final class OperationRepository {
    /** One operation as stored; status is the ARM name (InProgress, Succeeded, Failed). */
    public record OperationRow(String id, String status, Instant startedAt, Optional<Instant> endedAt,
                               Optional<String> resultJson, Optional<Integer> errorStatus, Optional<String> errorCode,
                               Optional<String> errorMessage) {}

    /** An operation in progress and the resource it holds (its lower-cased ARM id). */
    public record Hold(String operationId, String resourceKey) {}

    static final String IN_PROGRESS = "InProgress";
    /**
     * The PostgreSQL advisory lock ("p2sghold") that claims and the deletes that check holds take for their
     * transaction: one of them decides at a time, across every instance sharing the store.
     */
    static final long HOLDS_LOCK = 0x7032_7367_686f_6c64L;
    /** The escape character of the LIKE patterns below: names may contain {@code _}, which LIKE reads as a wildcard. */
    private static final char LIKE_ESCAPE = '!';
    static final String FAILED = "Failed";
    /** How an operation whose instance stopped before it ended is reported when its hold expires. */
    public static final String ABANDONED_CODE = "InternalServerError";
    public static final String ABANDONED_MESSAGE = "The operation did not end in time: the gateway instance running it"
            + " stopped. Read the resource to see its state, and repeat the request if needed.";

    private final Database db;

    public OperationRepository(Database db) {
        this.db = db;
    }

    /**
     * Inserts operation {@code id}, in progress, holding {@code resourceKey} until it ends or until
     * {@code expiresAt}, unless another operation in progress holds that resource: then nothing is inserted and the
     * holder's id is returned. One statement decides (the partial unique index of V7), so two instances claiming the
     * same resource at once cannot both win: PostgreSQL makes the second insert wait for the first's commit.
     * Holds that expired first end as failed ({@link #expireAbandoned}).
     */
    public Optional<String> claim(String id, String resourceKey, Instant startedAt, Instant expiresAt) {
        return db.inTransaction(c -> {
            lockHolds(c, db.isPostgresql());
            expireAbandoned(c, startedAt);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO operations (id, status, started_at, resource_key,"
                    + " expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (resource_key) WHERE status = '" + IN_PROGRESS
                    + "' DO NOTHING")) {
                s.setString(1, id);
                s.setString(2, IN_PROGRESS);
                s.setLong(3, startedAt.toEpochMilli());
                s.setString(4, resourceKey);
                s.setLong(5, expiresAt.toEpochMilli());
                if (s.executeUpdate() == 1) {
                    return Optional.<String>empty();
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id FROM operations WHERE resource_key = ? AND status = '" + IN_PROGRESS + "'")) {
                s.setString(1, resourceKey);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return Optional.of(r.getString(1));
                    }
                }
            }
            // The holder ended between our insert and our read: rare; the caller's client retries as after a 409.
            throw new StoreException("operation on " + resourceKey + " ended while another was claiming it", null);
        });
    }

    /**
     * Makes the calling transaction the only one, among those that claim or check holds, until it ends: a claim through
     * another instance waits for it. On SQLite the store's single writer already serialises every transaction.
     */
    public static void lockHolds(Connection c, boolean postgresql) throws SQLException {
        if (!postgresql) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            s.setLong(1, HOLDS_LOCK);
            s.execute();
        }
    }

    /**
     * The oldest operation in progress, as of {@code now}, that holds one of {@code keys} or a resource under one of
     * {@code subtrees} (a resource group's key covers the gateways in it, even one whose creation has claimed it and
     * not yet written it). Holds that expired first end as failed, as in {@link #claim}. Call it after
     * {@link #lockHolds} in the transaction that acts on the answer.
     */
    public static Optional<Hold> liveHold(Connection c, Instant now, Collection<String> keys, Collection<String> subtrees)
            throws SQLException {
        expireAbandoned(c, now);
        try (PreparedStatement s = c.prepareStatement("SELECT id, resource_key FROM operations WHERE status = '"
                + IN_PROGRESS + "' AND (resource_key = ? OR resource_key LIKE ? ESCAPE '" + LIKE_ESCAPE + "')"
                + " ORDER BY started_at, id")) {
            for (String key : keys) {
                Optional<Hold> hold = firstHold(s, key, key);
                if (hold.isPresent()) {
                    return hold;
                }
            }
            for (String subtree : subtrees) {
                Optional<Hold> hold = firstHold(s, subtree, likeLiteral(subtree) + "/%");
                if (hold.isPresent()) {
                    return hold;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Hold> firstHold(PreparedStatement s, String key, String pattern) throws SQLException {
        s.setString(1, key);
        s.setString(2, pattern);
        try (ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(new Hold(r.getString(1), r.getString(2))) : Optional.empty();
        }
    }

    private static String likeLiteral(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            if (ch == '%' || ch == '_' || ch == LIKE_ESCAPE) {
                out.append(LIKE_ESCAPE);
            }
            out.append(ch);
        }
        return out.toString();
    }

    /** Forgets an operation that never became visible (its write was refused): it frees what it held. */
    public void delete(String id) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM operations WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate();
            }
        });
    }

    /** Ends, as failed, the operations in progress whose hold expired before {@code now}. */
    public void expireAbandoned(Instant now) {
        db.inTransaction(c -> expireAbandoned(c, now));
    }

    private static int expireAbandoned(Connection c, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE operations SET status = ?, ended_at = ?, error_status = 500,"
                + " error_code = ?, error_message = ? WHERE status = '" + IN_PROGRESS + "' AND expires_at IS NOT NULL"
                + " AND expires_at < ?")) {
            s.setString(1, FAILED);
            s.setLong(2, now.toEpochMilli());
            s.setString(3, ABANDONED_CODE);
            s.setString(4, ABANDONED_MESSAGE);
            s.setLong(5, now.toEpochMilli());
            return s.executeUpdate();
        }
    }

    public void insert(String id, String status, Instant startedAt) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO operations (id, status, started_at) VALUES (?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, status);
                s.setLong(3, startedAt.toEpochMilli());
                return s.executeUpdate();
            }
        });
    }

    /** Records the end of an operation: its status and either a result or an error. */
    public void end(String id, String status, Instant endedAt, Optional<String> resultJson, Optional<Integer> errorStatus,
                    Optional<String> errorCode, Optional<String> errorMessage) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE operations SET status = ?, ended_at = ?, result = ?,"
                    + " error_status = ?, error_code = ?, error_message = ? WHERE id = ?")) {
                s.setString(1, status);
                s.setLong(2, endedAt.toEpochMilli());
                s.setString(3, resultJson.orElse(null));
                if (errorStatus.isPresent()) {
                    s.setInt(4, errorStatus.get());
                } else {
                    s.setNull(4, Types.INTEGER);
                }
                s.setString(5, errorCode.orElse(null));
                s.setString(6, errorMessage.orElse(null));
                s.setString(7, id);
                return s.executeUpdate();
            }
        });
    }

    public Optional<OperationRow> get(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, status, started_at, ended_at, result, error_status,"
                    + " error_code, error_message FROM operations WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    long ended = r.getLong(4);
                    Optional<Instant> endedAt = r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ended));
                    String result = r.getString(5);
                    int errorStatus = r.getInt(6);
                    Optional<Integer> status = r.wasNull() ? Optional.empty() : Optional.of(errorStatus);
                    return Optional.of(new OperationRow(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)),
                            endedAt, Optional.ofNullable(result), status, Optional.ofNullable(r.getString(7)),
                            Optional.ofNullable(r.getString(8))));
                }
            }
        });
    }

    /**
     * Forgets operations that ended before {@code endedBefore}, then the oldest ones beyond {@code max}: a busy client
     * cannot grow the table without end.
     */
    public void evict(Instant endedBefore, int max) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM operations WHERE ended_at IS NOT NULL AND ended_at < ?")) {
                s.setLong(1, endedBefore.toEpochMilli());
                s.executeUpdate();
            }
            // SQLite needs a LIMIT before an OFFSET (-1: none); PostgreSQL takes an OFFSET alone.
            try (PreparedStatement s = c.prepareStatement("DELETE FROM operations WHERE id IN (SELECT id FROM operations"
                    + " ORDER BY started_at DESC, id " + (db.isSqlite() ? "LIMIT -1 " : "") + "OFFSET ?)")) {
                s.setInt(1, max);
                return s.executeUpdate();
            }
        });
    }
}
