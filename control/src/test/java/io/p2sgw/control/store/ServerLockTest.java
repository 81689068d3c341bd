package io.p2sgw.control.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.testing.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One live server per SQLite file (issue 12); several on one PostgreSQL store (issue 17). A second server on an SQLite
 * file is refused with the reason and the way out, until the first stops or dies.
 */
class ServerLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondServerOnTheSameSqliteFileIsRefusedUntilTheFirstStops() {
        String url = StoreKind.SQLITE.newUrl(dir);
        Database first = Database.openForServer(url, null, null);
        StoreInUseException e = assertThrows(StoreInUseException.class, () -> Database.openForServer(url, null, null));
        assertTrue(e.getMessage().startsWith("The SQLite store " + first.describe() + " is in use by another p2sgw server"),
                e.getMessage());
        assertTrue(e.getMessage().contains("An SQLite store serves one instance")
                && e.getMessage().contains("PostgreSQL store (--database-url jdbc:postgresql://"), e.getMessage());
        // Tools and tests that only read or write data do not take the lock.
        assertDoesNotThrow(() -> Database.open(url).close());

        first.close();
        Database second = Database.openForServer(url, null, null);
        second.close();
    }

    @Test
    void otherSqliteFilesAreNotAffected() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        try (Database a = Database.openForServer(StoreKind.SQLITE.newUrl(dir.resolve("a")), null, null);
             Database b = Database.openForServer(StoreKind.SQLITE.newUrl(dir.resolve("b")), null, null)) {
            assertTrue(!a.describe().equals(b.describe()));
        }
    }

    @Test
    void severalServersShareOnePostgresqlStore() {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        try (Database first = Database.openForServer(url, null, null);
             Database second = Database.openForServer(url, null, null)) {
            assertTrue(first.describe().equals(second.describe()));
            assertDoesNotThrow(() -> second.inTransaction(c -> c.isValid(1)));
        }
    }
}
