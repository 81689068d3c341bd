package io.p2sgw.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayCaTest {
    @TempDir
    Path dir;

    private static GatewayCa at(Instant now) {
        return new GatewayCa(Clock.fixed(now, ZoneOffset.UTC), new SecureRandom());
    }

    @Test
    void firstStartCreatesCaAndServerCertificateWithPrivateKeyFiles() throws Exception {
        Path pki = dir.resolve("pki");
        ServerIdentity id = GatewayCa.loadOrCreate(pki, "vpn.example.test", List.of("198.51.100.4"));
        for (String f : List.of(GatewayCa.CA_KEY, GatewayCa.SERVER_KEY)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve(f))), f);
        }
        assertEquals("vpn.example.test", Certificates.commonName(id.certificate()));
        assertTrue(id.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"));
        assertEquals(List.of(id.certificate(), id.caCertificate()), id.chain());
        assertTrue(Keys.matches(id.privateKey(), id.certificate().getPublicKey()));
        id.certificate().verify(id.caCertificate().getPublicKey());
        assertTrue(Certificates.isSelfSigned(id.caCertificate()));

        // second start: same identity
        ServerIdentity again = GatewayCa.loadOrCreate(pki, "vpn.example.test", List.of("198.51.100.4"));
        assertEquals(id.chain(), again.chain());
        assertEquals(id.caCertificate(), again.caCertificate());
    }

    @Test
    void serverCertificateIsReissuedWhenNameOrAddressesChangeOrItNearsExpiry() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        ServerIdentity a = at(t0).load(dir, "vpn.example.test", List.of("198.51.100.4"));
        ServerIdentity b = at(t0).load(dir, "vpn2.example.test", List.of("198.51.100.4"));
        assertNotEquals(a.certificate(), b.certificate());
        assertEquals(a.caCertificate(), b.caCertificate(), "the CA stays: clients keep trusting the gateway");
        assertEquals("vpn2.example.test", Certificates.commonName(b.certificate()));
        ServerIdentity c = at(t0).load(dir, "vpn2.example.test", List.of("198.51.100.4", "198.51.100.5"));
        assertNotEquals(b.certificate(), c.certificate());
        ServerIdentity same = at(t0.plus(Duration.ofDays(10))).load(dir, "vpn2.example.test", List.of("198.51.100.4", "198.51.100.5"));
        assertEquals(c.certificate(), same.certificate());
        ServerIdentity renewed = at(t0.plus(Duration.ofDays(800))).load(dir, "vpn2.example.test", List.of("198.51.100.4", "198.51.100.5"));
        assertNotEquals(c.certificate(), renewed.certificate());
    }

    @Test
    void ipOnlyServerName() throws Exception {
        ServerIdentity id = GatewayCa.loadOrCreate(dir, "198.51.100.4", List.of());
        assertEquals(List.of(List.of(2, "198.51.100.4"), List.of(7, "198.51.100.4")), List.copyOf(id.certificate().getSubjectAlternativeNames()));
    }

    @Test
    void operatorSuppliedIdentityIsUsedAsIs() throws Exception {
        CertificateIssuer issuer = CertificateIssuer.withSystemClock();
        KeyAndChain root = issuer.createRoot("Corp Root", KeyType.RSA2048, Duration.ofDays(3650));
        KeyAndChain server = issuer.createServer(root, "vpn.corp.test", List.of("vpn.corp.test"), List.of(), KeyType.EC256, Duration.ofDays(90));
        Files.writeString(dir.resolve(GatewayCa.OPERATOR_CERT), Pem.certificatesToPem(server.chain()));
        Files.writeString(dir.resolve(GatewayCa.OPERATOR_KEY), Pem.privateKeyToPem(server.key()));
        ServerIdentity id = GatewayCa.loadOrCreate(dir, "ignored.example", List.of());
        assertEquals(server.chain(), id.chain());
        assertEquals(root.certificate(), id.caCertificate());
        assertTrue(Files.notExists(dir.resolve(GatewayCa.CA_KEY)), "no CA is created next to an operator identity");

        Files.writeString(dir.resolve(GatewayCa.OPERATOR_KEY), Pem.privateKeyToPem(root.key()));
        assertTrue(assertThrows(PkiException.class, () -> GatewayCa.loadOrCreate(dir, "x", List.of()))
                .getMessage().contains("does not match"));
        Files.delete(dir.resolve(GatewayCa.OPERATOR_KEY));
        assertTrue(assertThrows(PkiException.class, () -> GatewayCa.loadOrCreate(dir, "x", List.of()))
                .getMessage().contains("needs both"));
    }

    @Test
    void halfACaIsAnErrorNotASilentNewCa() throws Exception {
        GatewayCa.loadOrCreate(dir, "vpn.example.test", List.of());
        Files.delete(dir.resolve(GatewayCa.CA_KEY));
        assertTrue(assertThrows(PkiException.class, () -> GatewayCa.loadOrCreate(dir, "vpn.example.test", List.of()))
                .getMessage().contains("incomplete"));
    }
}
