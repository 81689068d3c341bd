package io.p2sgw.dataplane.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.spi.RefusalReason;
import io.p2sgw.pki.Certificates;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificatePolicyTest {
    static TestPki root;
    static TestPki otherRoot;
    static Issued alice;

    @BeforeAll
    static void certs() {
        root = TestPki.ec("P2SRootCert");
        otherRoot = TestPki.ec("SomeoneElsesRoot");
        alice = root.client("alice");
    }

    @Test
    void acceptsAClientOfATrustedRootAndNamesIt() {
        PolicyDecision d = CertificatePolicy.evaluate(List.of(alice.certificate()), List.of(root.caCertificate()), Set.of(),
                Instant.now());
        PolicyDecision.Accepted a = assertInstanceOf(PolicyDecision.Accepted.class, d);
        assertEquals("alice", a.commonName());
        assertEquals(Certificates.thumbprint(alice.certificate()), a.thumbprint());
        assertTrue(a.thumbprint().matches("[0-9a-f]{40}"));
    }

    @Test
    void refusesARevokedThumbprint() {
        String tp = Certificates.thumbprint(alice.certificate());
        PolicyDecision d = CertificatePolicy.evaluate(List.of(alice.certificate()), List.of(root.caCertificate()), Set.of(tp),
                Instant.now());
        PolicyDecision.Rejected r = assertInstanceOf(PolicyDecision.Rejected.class, d);
        assertEquals(RefusalReason.REVOKED, r.reason());
        assertEquals("alice", r.commonName());
        assertTrue(r.detail().contains(tp));
    }

    @Test
    void refusesAnUntrustedRoot() {
        PolicyDecision d = CertificatePolicy.evaluate(List.of(alice.certificate()), List.of(otherRoot.caCertificate()),
                Set.of(), Instant.now());
        PolicyDecision.Rejected r = assertInstanceOf(PolicyDecision.Rejected.class, d);
        assertEquals(RefusalReason.UNTRUSTED, r.reason());
        assertEquals("alice", r.commonName());
        assertEquals(Certificates.thumbprint(alice.certificate()), r.thumbprint());
    }

    @Test
    void refusesAnExpiredCertificate() throws Exception {
        Instant now = Instant.now();
        Issued old = root.leaf("old").validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).issue();
        PolicyDecision d = CertificatePolicy.evaluate(List.of(old.certificate()), List.of(root.caCertificate()), Set.of(), now);
        assertEquals(RefusalReason.EXPIRED, assertInstanceOf(PolicyDecision.Rejected.class, d).reason());
    }

    @Test
    void refusesACertificateWithoutClientAuthEku() throws Exception {
        Instant now = Instant.now();
        Issued server = root.leaf("server").serverAuth()
                .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1))).issue();
        PolicyDecision d = CertificatePolicy.evaluate(List.of(server.certificate()), List.of(root.caCertificate()), Set.of(), now);
        assertEquals(RefusalReason.NO_CLIENT_AUTH_EKU, assertInstanceOf(PolicyDecision.Rejected.class, d).reason());
    }
}
