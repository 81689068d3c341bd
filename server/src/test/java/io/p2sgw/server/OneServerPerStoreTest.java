package io.p2sgw.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.store.StoreInUseException;
import io.p2sgw.control.testing.StoreKind;
import io.p2sgw.testkit.dataplane.RecordingDataPlane;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a second server on a store that a live server uses replaced the first one's admin token (the first
 * then answered 401 to it) and never learnt of the other's writes. On an SQLite store it now refuses to start and
 * says why (several instances share a PostgreSQL store instead: {@link SeveralInstancesTest}).
 */
class OneServerPerStoreTest {
    @TempDir
    Path dir;

    private P2sgwServer server(Path dataDir, String storeUrl) {
        return P2sgwServer.builder()
                .dataDir(dataDir)
                .databaseUrl(storeUrl)
                .apiListen(new InetSocketAddress("127.0.0.1", 0))
                .publicAddress("127.0.0.1")
                .dataPlane(new RecordingDataPlane())
                .build();
    }

    @Test
    void aSecondServerOnTheSameSqliteFileRefusesToStartAndLeavesTheFirstAlone() throws Exception {
        Files.createDirectories(dir.resolve("store"));
        String url = StoreKind.SQLITE.newUrl(dir.resolve("store"));
        try (P2sgwServer first = server(dir.resolve("first"), url).start()) {
            assertEquals(200, tokensStatus(first, first.adminToken()));

            P2sgwServer second = server(dir.resolve("second"), url);
            StoreInUseException e = assertThrows(StoreInUseException.class, second::start);
            assertTrue(e.getMessage().contains("is in use by") && e.getMessage().contains("PostgreSQL"), e.getMessage());
            assertTrue(Files.notExists(dir.resolve("second").resolve("admin-token")));

            assertEquals(200, tokensStatus(first, first.adminToken()), "the first server's admin token still works");
        }
        // Once the first has stopped, the store is free; the first's data directory finds its token again.
        try (P2sgwServer again = server(dir.resolve("first"), url).start()) {
            assertEquals(200, tokensStatus(again, again.adminToken()));
        }
    }

    private static int tokensStatus(P2sgwServer server, String token) throws Exception {
        return TestApi.get(server, "/providers/P2sgw/tokens", token).statusCode();
    }
}
