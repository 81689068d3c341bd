package io.p2sgw.control.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.p2sgw.control.testing.StoreKind;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions on PostgreSQL reuse pooled connections instead of opening one each: a revocation ran about ten
 * transactions on the writing instance, each paying a new connection's 18-75 ms (issue 17, the first revocation).
 */
class DatabasePoolTest {
    @TempDir
    Path dir;

    private static int backend(Database db) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        });
    }

    private static long versions(Database db) {
        return db.inTransaction(StoreChanges::version);
    }

    @Test
    void consecutiveTransactionsRunOnOnePooledConnection() {
        try (Database db = Database.open(StoreKind.POSTGRESQL.newUrl(dir))) {
            int first = backend(db);
            assertEquals(first, backend(db), "the second transaction found the first's connection in the pool");
            assertEquals(first, backend(db));
        }
    }

    @Test
    void aRolledBackTransactionLeavesNothingOnThePooledConnection() {
        try (Database db = Database.open(StoreKind.POSTGRESQL.newUrl(dir))) {
            long before = versions(db);
            assertThrows(IllegalStateException.class, () -> db.inChangingTransaction(c -> {
                throw new IllegalStateException("refused after the change counter moved");
            }));
            assertEquals(before, versions(db), "the next transaction on the same connection sees the rollback");
            db.inChangingTransaction(c -> null);
            assertEquals(before + 1, versions(db), "and it commits as before");
        }
    }
}
