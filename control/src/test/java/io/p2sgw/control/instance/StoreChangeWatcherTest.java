package io.p2sgw.control.instance;

import static io.p2sgw.control.testing.TestData.RG;
import static io.p2sgw.control.testing.TestData.SUB;
import static io.p2sgw.control.testing.TestData.json;
import static io.p2sgw.control.testing.TestData.rgBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.service.NetworkService;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.StoreChanges;
import io.p2sgw.control.testing.StoreKind;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: an instance learns of another's committed write through NOTIFY, or through the periodic counter check. */
class StoreChangeWatcherTest {
    /** Generous, for a loaded host: a notification takes milliseconds. Never a timing assert. */
    private static final long BOUND_SECONDS = 30;

    @TempDir
    Path dir;

    @Test
    void aCommittedWriteThroughAnotherInstanceIsNotified() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        Database mine = Database.open(url);
        Semaphore changes = new Semaphore(0);
        // Without notifications this watcher would not look for an hour.
        try (StoreChangeWatcher w = StoreChangeWatcher.start(mine, Duration.ofHours(1), changes::release)) {
            NetworkService other = new NetworkService(Database.open(url));
            other.putResourceGroup(SUB, RG, json(rgBody()));
            assertTrue(changes.tryAcquire(BOUND_SECONDS, TimeUnit.SECONDS), "the other instance's write was notified");
            assertEquals(1L, mine.inTransaction(StoreChanges::version));

            // A write that fails (and rolls back) moves nothing and notifies no one: the next change is seen as one.
            assertThrows(RuntimeException.class, () -> other.putResourceGroup(SUB, "bad name!", json(rgBody())));
            other.putResourceGroup(SUB, "TestRG2", json(rgBody()));
            assertTrue(changes.tryAcquire(BOUND_SECONDS, TimeUnit.SECONDS));
            assertEquals(2L, mine.inTransaction(StoreChanges::version));
        }
    }

    @Test
    void aMissedNotificationIsCaughtByTheVersionCheck() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        Database mine = Database.open(url);
        Semaphore changes = new Semaphore(0);
        try (StoreChangeWatcher w = StoreChangeWatcher.start(mine, Duration.ofMillis(200), changes::release)) {
            // A change whose notification never came (as if sent while the listener's connection was down).
            Database.open(url).inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE store_changes SET version = version + 1")) {
                    return s.executeUpdate();
                }
            });
            assertTrue(changes.tryAcquire(BOUND_SECONDS, TimeUnit.SECONDS), "the periodic check found the change");
        }
    }

    @Test
    void onlyAPostgresqlStoreIsWatched() {
        Database sqlite = Database.open(StoreKind.SQLITE.newUrl(dir));
        assertThrows(IllegalArgumentException.class, () -> StoreChangeWatcher.start(sqlite, Duration.ofSeconds(1), () -> {}));
    }
}
