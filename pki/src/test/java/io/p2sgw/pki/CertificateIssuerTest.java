package io.p2sgw.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificateIssuerTest {
    private final CertificateIssuer issuer = TestPki.ISSUER;

    @Test
    void rootLikeThePowerShellRecipe() {
        KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.RSA2048, Duration.ofDays(3650));
        X509Certificate c = root.certificate();
        assertEquals("SHA256withRSA", c.getSigAlgName());
        assertEquals("RSA 2048", Keys.describe(c.getPublicKey()));
        assertTrue(c.getBasicConstraints() >= 0);
        assertTrue(c.getKeyUsage()[5], "keyCertSign");
        assertTrue(c.getKeyUsage()[6], "cRLSign");
        assertTrue(Certificates.isSelfSigned(c));
        assertEquals(TestPki.NOW.plus(Duration.ofDays(3650)), c.getNotAfter().toInstant());
    }

    @Test
    void ecRootsUseMatchingHashes() {
        assertEquals("SHA256withECDSA", issuer.createRoot("a", KeyType.EC256, Duration.ofDays(1)).certificate().getSigAlgName());
        assertEquals("SHA384withECDSA", issuer.createRoot("b", KeyType.EC384, Duration.ofDays(1)).certificate().getSigAlgName());
    }

    @Test
    void clientHasClientAuthEkuAndSanAndIsClampedToIssuer() throws Exception {
        KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.EC256, Duration.ofDays(100));
        KeyAndChain client = issuer.createClient(root, "P2SChildCert", KeyType.RSA2048, Duration.ofDays(365));
        X509Certificate c = client.certificate();
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), c.getExtendedKeyUsage());
        assertEquals(List.of(List.of(2, "P2SChildCert")), List.copyOf(c.getSubjectAlternativeNames()));
        assertEquals(root.certificate().getNotAfter(), c.getNotAfter());
        assertEquals(List.of(c, root.certificate()), client.chain());
        assertEquals(-1, c.getBasicConstraints());
        KeyAndChain email = issuer.createClient(root, "user@example.com", KeyType.EC256, Duration.ofDays(1));
        assertEquals(List.of(List.of(1, "user@example.com")), List.copyOf(email.certificate().getSubjectAlternativeNames()));
    }

    @Test
    void serverCertificateForEveryClientKind() throws Exception {
        KeyAndChain root = issuer.createRoot("gw CA", KeyType.RSA2048, Duration.ofDays(3650));
        KeyAndChain server = issuer.createServer(root, "vpn.example.test", List.of("vpn.example.test"), List.of("198.51.100.4"),
                KeyType.RSA2048, Duration.ofDays(825));
        X509Certificate c = server.certificate();
        assertEquals("vpn.example.test", Certificates.commonName(c));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.8.2.2"), c.getExtendedKeyUsage());
        assertEquals(List.of(List.of(2, "vpn.example.test"), List.of(2, "198.51.100.4"), List.of(7, "198.51.100.4")),
                List.copyOf(c.getSubjectAlternativeNames()));
        assertTrue(c.getKeyUsage()[0] && c.getKeyUsage()[2], "digitalSignature + keyEncipherment");
        assertEquals(null, c.getExtensionValue("2.5.29.31"), "no CRL distribution point");
    }

    @Test
    void intermediateIsACaWithPathLenZero() {
        KeyAndChain root = issuer.createRoot("R", KeyType.EC256, Duration.ofDays(100));
        KeyAndChain inter = issuer.createIntermediate(root, "I", KeyType.EC384, Duration.ofDays(50));
        assertEquals(0, inter.certificate().getBasicConstraints());
        assertEquals(List.of(inter.certificate(), root.certificate()), inter.chain());
    }

    @Test
    void unusableIssuersGiveClearErrors() throws Exception {
        KeyAndChain root = issuer.createRoot("R", KeyType.EC256, Duration.ofDays(100));
        KeyAndChain client = issuer.createClient(root, "C", KeyType.EC256, Duration.ofDays(10));
        assertTrue(assertThrows(PkiException.class, () -> issuer.createClient(client, "X", KeyType.EC256, Duration.ofDays(1)))
                .getMessage().contains("not a CA certificate"));
        KeyAndChain other = issuer.createRoot("O", KeyType.EC256, Duration.ofDays(100));
        KeyAndChain mismatched = new KeyAndChain(other.key(), root.chain());
        assertTrue(assertThrows(PkiException.class, () -> issuer.createClient(mismatched, "X", KeyType.EC256, Duration.ofDays(1)))
                .getMessage().contains("does not match"));
        KeyAndChain expired = TestPki.custom(Optional.empty(), "Old", "EC", "SHA256withECDSA",
                Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-01-01T00:00:00Z"), true, false);
        assertTrue(assertThrows(PkiException.class, () -> issuer.createClient(expired, "X", KeyType.EC256, Duration.ofDays(1)))
                .getMessage().contains("expired on 2021-01-01"));
        assertThrows(PkiException.class, () -> issuer.createRoot(" ", KeyType.EC256, Duration.ofDays(1)));
    }
}
