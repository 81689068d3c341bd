package io.p2sgw.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.pki.ChainValidation.Invalid;
import io.p2sgw.pki.ChainValidation.Reason;
import io.p2sgw.pki.ChainValidation.Valid;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainValidatorTest {
    private static final Instant NOW = TestPki.NOW;
    private final KeyAndChain root = TestPki.root("P2SRootCert");
    private final KeyAndChain client = TestPki.client(root, "P2SChildCert");

    private static Reason reason(ChainValidation v) {
        return assertInstanceOf(Invalid.class, v).reason();
    }

    @Test
    void clientOfUploadedRootIsValid() {
        Valid v = assertInstanceOf(Valid.class, ChainValidator.validate(List.of(client.certificate()), List.of(root.certificate()), NOW));
        assertEquals(client.certificate(), v.leaf());
        assertEquals(Certificates.thumbprint(client.certificate()), v.thumbprint());
        assertEquals("P2SChildCert", v.commonName());
        // The root sent along by the client changes nothing.
        assertInstanceOf(Valid.class, ChainValidator.validate(client.chain(), List.of(root.certificate()), NOW));
    }

    @Test
    void intermediateFromPresentedChainOrFromTrustedSet() {
        KeyAndChain inter = TestPki.ISSUER.createIntermediate(root, "P2SIntermediate", KeyType.EC256, Duration.ofDays(1000));
        KeyAndChain leaf = TestPki.client(inter, "alice");
        // client sends leaf + intermediate, root uploaded
        assertInstanceOf(Valid.class, ChainValidator.validate(List.of(leaf.certificate(), inter.certificate()), List.of(root.certificate()), NOW));
        // client sends only the leaf (OpenVPN Connect 3); intermediate uploaded after the root (azure-p2s.md §2.3)
        assertInstanceOf(Valid.class, ChainValidator.validate(List.of(leaf.certificate()), List.of(root.certificate(), inter.certificate()), NOW));
        // only the intermediate uploaded: it is an anchor by itself
        assertInstanceOf(Valid.class, ChainValidator.validate(List.of(leaf.certificate()), List.of(inter.certificate()), NOW));
        // intermediate missing everywhere
        assertEquals(Reason.UNTRUSTED, reason(ChainValidator.validate(List.of(leaf.certificate()), List.of(root.certificate()), NOW)));
    }

    @Test
    void untrustedWhenChainLeadsElsewhere() {
        KeyAndChain other = TestPki.root("OtherRoot");
        assertEquals(Reason.UNTRUSTED, reason(ChainValidator.validate(List.of(client.certificate()), List.of(other.certificate()), NOW)));
        assertEquals(Reason.UNTRUSTED, reason(ChainValidator.validate(List.of(client.certificate()), List.of(), NOW)));
        // same subject name as the root but a different key: signature check, not name matching
        KeyAndChain impostor = TestPki.root("P2SRootCert");
        assertEquals(Reason.UNTRUSTED, reason(ChainValidator.validate(List.of(client.certificate()), List.of(impostor.certificate()), NOW)));
        // a client presenting the attacker's "intermediate" named like the root
        KeyAndChain forged = TestPki.client(impostor, "mallory");
        assertEquals(Reason.UNTRUSTED, reason(ChainValidator.validate(forged.chain(), List.of(root.certificate()), NOW)));
    }

    @Test
    void nonCaIntermediateFromTheClientIsNotUsed() throws Exception {
        // A leaf signed by another client certificate (no CA flag) that chains to the root.
        KeyAndChain sub = TestPki.custom(Optional.of(client), "sub", "EC", "SHA256withECDSA",
                NOW.minusSeconds(60), NOW.plusSeconds(3600), false, true);
        assertEquals(Reason.UNTRUSTED, reason(ChainValidator.validate(sub.chain(), List.of(root.certificate()), NOW)));
    }

    @Test
    void expiredLeafIntermediateOrRoot() throws Exception {
        assertEquals(Reason.EXPIRED, reason(ChainValidator.validate(List.of(client.certificate()), List.of(root.certificate()), NOW.plus(Duration.ofDays(366)))));
        assertEquals(Reason.EXPIRED, reason(ChainValidator.validate(List.of(client.certificate()), List.of(root.certificate()), NOW.minus(Duration.ofDays(1)))));
        KeyAndChain oldRoot = TestPki.custom(Optional.empty(), "OldRoot", "EC", "SHA256withECDSA",
                NOW.minus(Duration.ofDays(800)), NOW.minus(Duration.ofDays(1)), true, false);
        KeyAndChain leaf = TestPki.custom(Optional.of(oldRoot), "leaf", "EC", "SHA256withECDSA",
                NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(10)), false, true);
        Invalid inv = assertInstanceOf(Invalid.class, ChainValidator.validate(List.of(leaf.certificate()), List.of(oldRoot.certificate()), NOW));
        assertEquals(Reason.EXPIRED, inv.reason());
        assertTrue(inv.detail().contains("OldRoot"), inv.detail());
    }

    @Test
    void leafWithoutClientAuthEku() throws Exception {
        KeyAndChain noEku = TestPki.custom(Optional.of(root), "noeku", "EC", "SHA256withECDSA",
                NOW.minusSeconds(60), NOW.plusSeconds(3600), false, false);
        assertEquals(Reason.NO_CLIENT_AUTH_EKU, reason(ChainValidator.validate(noEku.chain(), List.of(root.certificate()), NOW)));
        KeyAndChain server = TestPki.ISSUER.createServer(root, "vpn.example.test", List.of("vpn.example.test"), List.of(), KeyType.EC256, Duration.ofDays(30));
        assertEquals(Reason.NO_CLIENT_AUTH_EKU, reason(ChainValidator.validate(server.chain(), List.of(root.certificate()), NOW)));
    }

    @Test
    void malformedWhenNothingPresented() {
        assertEquals(Reason.MALFORMED, reason(ChainValidator.validate(List.of(), List.of(root.certificate()), NOW)));
        List<X509Certificate> tooMany = java.util.Collections.nCopies(ChainValidator.MAX_PRESENTED_CERTIFICATES + 1, client.certificate());
        assertEquals(Reason.MALFORMED, reason(ChainValidator.validate(tooMany, List.of(root.certificate()), NOW)));
    }

    @Test
    void sha1SignedMakecertStyleCertificatesAreAccepted() throws Exception {
        // makecert -a sha1 -len 2048 (azure-p2s.md §5.2): RSA root and client, SHA-1 signatures, root without EKU.
        KeyAndChain sha1Root = TestPki.custom(Optional.empty(), "RootCertificateName", "RSA", "SHA1withRSA",
                NOW.minusSeconds(60), NOW.plus(Duration.ofDays(365)), true, false);
        KeyAndChain sha1Client = TestPki.custom(Optional.of(sha1Root), "ClientCertificateName", "RSA", "SHA1withRSA",
                NOW.minusSeconds(60), NOW.plus(Duration.ofDays(365)), false, true);
        assertInstanceOf(Valid.class, ChainValidator.validate(List.of(sha1Client.certificate()), List.of(sha1Root.certificate()), NOW));
    }

    @Test
    void rootWithoutBasicConstraintsIsAnAnchor() throws Exception {
        KeyAndChain bare = TestPki.custom(Optional.empty(), "VPN CA", "RSA", "SHA256withRSA",
                NOW.minusSeconds(60), NOW.plus(Duration.ofDays(365)), false, false);
        KeyAndChain leaf = TestPki.custom(Optional.of(bare), "user", "EC", "SHA256withRSA",
                NOW.minusSeconds(60), NOW.plus(Duration.ofDays(30)), false, true);
        assertInstanceOf(Valid.class, ChainValidator.validate(List.of(leaf.certificate()), List.of(bare.certificate()), NOW));
    }
}
