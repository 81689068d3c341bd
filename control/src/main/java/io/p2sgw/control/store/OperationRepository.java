package io.p2sgw.control.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/** ARM long-running operations in the store, so that any instance answers a poll (issue 17). */
public final class OperationRepository {
    /** One operation as stored; status is the ARM name (InProgress, Succeeded, Failed). */
    public record OperationRow(String id, String status, Instant startedAt, Optional<Instant> endedAt,
                               Optional<String> resultJson, Optional<Integer> errorStatus, Optional<String> errorCode,
                               Optional<String> errorMessage) {}

    private final Database db;

    public OperationRepository(Database db) {
        this.db = db;
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
