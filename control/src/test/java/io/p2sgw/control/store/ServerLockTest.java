package io.p2sgw.control.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.p2sgw.control.testing.StoreKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One live server per store (issue 12): a second one is refused with the reason, until the first stops or dies. */
class ServerLockTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSecondServerOnTheSameStoreIsRefusedUntilTheFirstStops(StoreKind kind) {
        String url = kind.newUrl(dir);
        Database first = Database.openForServer(url, null, null);
        StoreInUseException e = assertThrows(StoreInUseException.class, () -> Database.openForServer(url, null, null));
        assertTrue(e.getMessage().startsWith("The store " + first.describe() + " is in use by "), e.getMessage());
        assertTrue(e.getMessage().contains("One server per store is supported for now"), e.getMessage());
        if (kind == StoreKind.POSTGRESQL) {
            // The holder is named from pg_stat_activity: the host and pid it gave as its application name.
            assertTrue(e.getMessage().contains("p2sgw server on ") && e.getMessage().contains("(pid "
                    + ProcessHandle.current().pid() + ")"), e.getMessage());
        }
        // Tools and tests that only read or write data do not take the lock.
        assertDoesNotThrow(() -> Database.open(url).close());

        first.close();
        Database second = Database.openForServer(url, null, null);
        second.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void otherStoresAreNotAffected(StoreKind kind) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("a"));
        java.nio.file.Files.createDirectories(dir.resolve("b"));
        try (Database a = Database.openForServer(kind.newUrl(dir.resolve("a")), null, null);
             Database b = Database.openForServer(kind.newUrl(dir.resolve("b")), null, null)) {
            assertTrue(!a.describe().equals(b.describe()));
        }
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "POSTGRESQL")
    void aServerWhoseConnectionDiesFreesTheStore(StoreKind kind) throws Exception {
        String url = kind.newUrl(dir);
        Database crashed = Database.openForServer(url, null, null);
        // A crash ends the server's database session without an unlock: end it from outside, as PostgreSQL does
        // when the connection drops.
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                     + " AND objid = " + (ServerLock.ADVISORY_KEY & 0xffff_ffffL) + " AND granted"
                     + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            assumeTrue(r.next() && r.getBoolean(1), "the lock holder's session could not be ended");
        }
        try (Database next = Database.openForServer(url, null, null)) {
            assertTrue(next.describe().startsWith("jdbc:postgresql:"));
        }
        assertDoesNotThrow(crashed::close, "closing a lock whose connection is gone does not fail the shutdown");
    }
}
