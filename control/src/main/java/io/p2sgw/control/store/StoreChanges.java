package io.p2sgw.control.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The store's change counter and, on PostgreSQL, its notification (issue 17; DESIGN.md "Scale"). {@link #record} runs
 * inside the writing transaction, so the counter moves and {@code NOTIFY} is sent exactly when the write commits
 * (PostgreSQL delivers a transaction's notifications at commit, and drops them at rollback).
 */
public final class StoreChanges {
    /** The {@code LISTEN/NOTIFY} channel of every instance of a store. */
    public static final String CHANNEL = "p2sgw_changes";

    private StoreChanges() {}

    /** Counts one change and, on PostgreSQL, notifies the other instances at commit. */
    public static void record(Connection c, boolean postgresql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE store_changes SET version = version + 1 WHERE id = 1")) {
            s.executeUpdate();
        }
        if (postgresql) {
            // The payload is not needed: every instance re-reads its whole snapshot. One notification per
            // transaction and channel reaches each listener (PostgreSQL folds duplicates within a transaction).
            try (PreparedStatement s = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', '')")) {
                s.execute();
            }
        }
    }

    public static long version(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT version FROM store_changes WHERE id = 1");
             ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                throw new SQLException("store_changes has no row: the store was not migrated");
            }
            return r.getLong(1);
        }
    }
}
