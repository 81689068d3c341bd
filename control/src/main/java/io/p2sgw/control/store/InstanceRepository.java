package io.p2sgw.control.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** JDBC access to the {@code instances} table. Every method runs inside the caller's transaction. */
public final class InstanceRepository {
    /** One registered instance; times as stored (epoch milliseconds). */
    public record InstanceRow(String name, int index, String incarnation, String publicAddress, Instant startedAt,
                              Instant heartbeatAt) {}

    private static final String COLUMNS = "name, instance_index, incarnation, public_address, started_at, heartbeat_at";

    private InstanceRepository() {}

    /** Every registered instance, lowest index first. */
    public static List<InstanceRow> list(Connection c) throws SQLException {
        List<InstanceRow> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM instances ORDER BY instance_index");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(row(r));
            }
        }
        return out;
    }

    public static Optional<InstanceRow> byName(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM instances WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    private static InstanceRow row(ResultSet r) throws SQLException {
        return new InstanceRow(r.getString(1), r.getInt(2), r.getString(3), r.getString(4),
                Instant.ofEpochMilli(r.getLong(5)), Instant.ofEpochMilli(r.getLong(6)));
    }

    /** Removes the instances whose last heartbeat is older than {@code before}; returns how many. */
    public static int removeLapsed(Connection c, Instant before) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM instances WHERE heartbeat_at < ?")) {
            s.setLong(1, before.toEpochMilli());
            return s.executeUpdate();
        }
    }

    /** Inserts or replaces the row of {@code row.name()}. */
    public static void put(Connection c, InstanceRow row) throws SQLException {
        remove(c, row.name(), Optional.empty());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO instances (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, row.name());
            s.setInt(2, row.index());
            s.setString(3, row.incarnation());
            s.setString(4, row.publicAddress());
            s.setLong(5, row.startedAt().toEpochMilli());
            s.setLong(6, row.heartbeatAt().toEpochMilli());
            s.executeUpdate();
        }
    }

    /** Records a heartbeat; false when the row is gone or belongs to another incarnation. */
    public static boolean heartbeat(Connection c, String name, String incarnation, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE instances SET heartbeat_at = ? WHERE name = ? AND incarnation = ?")) {
            s.setLong(1, at.toEpochMilli());
            s.setString(2, name);
            s.setString(3, incarnation);
            return s.executeUpdate() == 1;
        }
    }

    /** Removes the row of {@code name}, only if it is still of {@code incarnation} when one is given. */
    public static boolean remove(Connection c, String name, Optional<String> incarnation) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM instances WHERE name = ?"
                + (incarnation.isPresent() ? " AND incarnation = ?" : ""))) {
            s.setString(1, name);
            if (incarnation.isPresent()) {
                s.setString(2, incarnation.get());
            }
            return s.executeUpdate() == 1;
        }
    }
}
