package io.p2sgw.control.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.GatewayCaRepository;
import io.p2sgw.control.testing.StoreKind;
import io.p2sgw.pki.GatewayCa;
import io.p2sgw.pki.ServerIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 17: the gateway CA is made once per store; every instance issues its own server certificate from it. */
class SharedGatewayCaTest {
    @TempDir
    Path dir;

    private final GatewayCa pki = new GatewayCa(Clock.systemUTC(), new SecureRandom());

    private ServerIdentity start(GatewayCaRepository store, String instance, String address) {
        Path pkiDir = dir.resolve(instance).resolve("pki");
        SharedGatewayCa.shareThroughStore(store, pki, pkiDir, "vpn.example.test", instance);
        return pki.load(pkiDir, "vpn.example.test", List.of(address));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void twoInstancesShareOneCaAndHaveTheirOwnServerCertificates(StoreKind kind) throws Exception {
        Files.createDirectories(dir.resolve("store"));
        GatewayCaRepository store = new GatewayCaRepository(Database.open(kind.newUrl(dir.resolve("store"))));
        ServerIdentity a = start(store, "a", "198.51.100.10");
        ServerIdentity b = start(store, "b", "198.51.100.11");

        assertEquals(a.caCertificate(), b.caCertificate(), "one server root for the clients of every instance");
        assertNotEquals(a.chain().getFirst(), b.chain().getFirst());
        b.chain().getFirst().verify(a.caCertificate().getPublicKey());
        assertEquals("a", store.get().orElseThrow().createdBy());
        // A restart finds the same CA.
        assertEquals(a.caCertificate(), start(store, "a", "198.51.100.10").caCertificate());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExistingSingleInstanceCaBecomesTheStoresAndAnotherOneIsRefused(StoreKind kind) throws Exception {
        Files.createDirectories(dir.resolve("store"));
        GatewayCaRepository store = new GatewayCaRepository(Database.open(kind.newUrl(dir.resolve("store"))));
        // Data directories set up before they shared a store, each with a CA of its own.
        ServerIdentity old = pki.load(dir.resolve("old").resolve("pki"), "vpn.example.test", List.of("198.51.100.10"));
        pki.load(dir.resolve("other").resolve("pki"), "vpn.example.test", List.of("198.51.100.11"));

        assertEquals(old.caCertificate(), start(store, "old", "198.51.100.10").caCertificate());
        SharedStateConflictException e = assertThrows(SharedStateConflictException.class,
                () -> start(store, "other", "198.51.100.11"));
        assertTrue(e.getMessage().contains("is not the one the store's instances share") && e.getMessage().contains("made by old"),
                e.getMessage());
        assertEquals(old.caCertificate(), start(store, "fresh", "198.51.100.12").caCertificate());
    }
}
