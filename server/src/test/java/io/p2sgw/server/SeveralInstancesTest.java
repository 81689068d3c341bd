package io.p2sgw.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.InstanceRepository;
import io.p2sgw.control.testing.StoreKind;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: several instances of the gateway share one PostgreSQL store. Before, a second server on the same database
 * replaced the first's admin token (the first then answered 401 to its own token) and made a CA of its own.
 */
class SeveralInstancesTest {
    @TempDir
    Path dir;

    private P2sgwServer instance(String name, String storeUrl) {
        return P2sgwServer.builder()
                .dataDir(dir.resolve(name))
                .databaseUrl(storeUrl)
                .instanceName(name)
                .apiListen(new InetSocketAddress("127.0.0.1", 0))
                .publicAddress("127.0.0.1")
                .dataPlane(new TestApi.IdleDataPlane())
                .build();
    }

    @Test
    void aSecondInstanceSharesTheAdminTokenAndTheGatewayCa() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        try (P2sgwServer a = instance("a", url).start(); P2sgwServer b = instance("b", url).start()) {
            String token = a.adminToken();
            assertEquals(200, tokensStatus(a, token), "the first instance's admin token still works on it");
            assertEquals(200, tokensStatus(b, token), "and on the second instance");
            assertEquals(Optional.empty(), b.heldAdminToken());
            assertTrue(Files.notExists(dir.resolve("b").resolve("admin-token")));
            assertEquals(a.caCertificate(), b.caCertificate(), "one server root for both instances' clients");
        }
    }

    @Test
    void instancesRegisterWithTheirSlotsAndAreGoneWhenTheyStop() throws Exception {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        Database store = Database.open(url);
        try (P2sgwServer a = instance("a", url).start()) {
            try (P2sgwServer b = instance("b", url).start()) {
                assertEquals(List.of("a:0", "b:1"), registered(store));
            }
            assertEquals(List.of("a:0"), registered(store), "a clean stop unregisters at once");
        }
        assertEquals(List.of(), registered(store));
    }

    private static List<String> registered(Database store) {
        return store.inTransaction(c -> InstanceRepository.list(c).stream().map(r -> r.name() + ":" + r.index()).toList());
    }

    private static int tokensStatus(P2sgwServer server, String token) throws Exception {
        return TestApi.get(server, "/providers/P2sgw/tokens", token).statusCode();
    }
}
