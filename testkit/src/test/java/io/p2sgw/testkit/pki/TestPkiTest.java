package io.p2sgw.testkit.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test PKI makes what its documentation promises: chains a PKIX validator accepts, the EKUs, the odd shapes. */
class TestPkiTest {
    static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();
    static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();
    static final TestPki EC = TestPki.ec("kit root");

    /** PKIX path validation (RFC 5280 §6) of {@code chain} without its root against {@code anchor}, revocation off. */
    static void validate(List<X509Certificate> chain, X509Certificate anchor) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.setRevocationEnabled(false);
        List<X509Certificate> path = chain.stream().filter(c -> !c.equals(anchor)).toList();
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    }

    @Test
    void aClientChainsToItsRootWithTheClientAuthEku() throws Exception {
        Issued alice = EC.client("alice");
        assertEquals(List.of(alice.certificate(), EC.caCertificate()), alice.chain());
        validate(alice.chain(), EC.caCertificate());
        assertEquals(List.of(CLIENT_AUTH), alice.certificate().getExtendedKeyUsage());
        assertEquals("alice", Certificates.commonName(alice.certificate()));
        assertEquals(-1, alice.certificate().getBasicConstraints(), "a leaf is no CA");
        assertEquals(Certificates.thumbprint(alice.certificate()), alice.thumbprint());
        assertEquals("EC", alice.privateKey().getAlgorithm());
        assertEquals("SHA256withECDSA", alice.certificate().getSigAlgName());
        assertTrue(EC.caCertificate().getBasicConstraints() >= 0, "the root is a CA");
        assertTrue(EC.caCertificate().getKeyUsage()[5], "keyCertSign");
    }

    @Test
    void underAnExistingCaIssuesLeavesThatChainToIt() throws Exception {
        Issued outside = TestPki.rsa("made elsewhere").ca();
        TestPki under = TestPki.under(outside.keyAndChain(), KeyType.EC256);
        Issued expired = under.leaf("late").expired().issue();
        assertEquals(List.of(expired.certificate(), outside.certificate()), expired.chain());
        expired.certificate().verify(outside.certificate().getPublicKey());
        assertThrows(CertificateExpiredException.class, () -> expired.certificate().checkValidity());
        Issued noEku = under.leaf("plain").noEku().issue();
        validate(noEku.chain(), outside.certificate());
        assertNull(noEku.certificate().getExtendedKeyUsage());
        assertEquals("EC", noEku.privateKey().getAlgorithm());
    }

    @Test
    void aServerHasTheServerAuthEkuAndItsDnsNames() throws Exception {
        Issued server = EC.server("vpn.kit.test", "vpn.kit.test", "alt.kit.test");
        validate(server.chain(), EC.caCertificate());
        assertEquals(List.of(SERVER_AUTH), server.certificate().getExtendedKeyUsage());
        assertEquals(List.of("vpn.kit.test", "alt.kit.test"),
                server.certificate().getSubjectAlternativeNames().stream().map(n -> (String) n.get(1)).toList());
    }

    @Test
    void rsaPkisSignWithRsaAndMayHoldKeysOfAnotherType() throws Exception {
        TestPki rsa = TestPki.rsa("rsa root");
        Issued bob = rsa.client("bob");
        assertEquals("SHA256withRSA", bob.certificate().getSigAlgName());
        assertEquals("RSA", bob.privateKey().getAlgorithm());
        assertTrue(bob.certificate().getKeyUsage()[2], "keyEncipherment for an RSA leaf");
        Issued ecUnderRsa = rsa.leaf("carol").keyType(KeyType.EC256).issue();
        assertEquals("EC", ecUnderRsa.certificate().getPublicKey().getAlgorithm());
        assertTrue(ecUnderRsa.certificate().getKeyUsage()[4], "keyAgreement for an EC leaf");
        validate(ecUnderRsa.chain(), rsa.caCertificate());
    }

    @Test
    void anIntermediateMakesChainsOfThree() throws Exception {
        TestPki sub = EC.intermediate("kit intermediate");
        Issued dave = sub.client("dave");
        assertEquals(List.of(dave.certificate(), sub.caCertificate(), EC.caCertificate()), dave.chain());
        validate(dave.chain(), EC.caCertificate());
        assertEquals(EC.caCertificate().getSubjectX500Principal(), sub.caCertificate().getIssuerX500Principal());
    }

    @Test
    void theOddShapesThePolicyRefuses() throws Exception {
        assertThrows(CertificateExpiredException.class, () -> EC.leaf("old").expired().issue().certificate().checkValidity());
        assertThrows(CertificateNotYetValidException.class, () -> EC.leaf("early").notYetValid().issue().certificate().checkValidity());
        assertNull(EC.leaf("plain").noEku().issue().certificate().getExtendedKeyUsage());
        assertEquals(List.of(SERVER_AUTH), EC.leaf("srv").eku(KeyPurposeId.id_kp_serverAuth).issue().certificate().getExtendedKeyUsage());
        // Another root: the same name, but nothing of ours chains to it.
        TestPki other = TestPki.ec("kit root");
        assertThrows(Exception.class, () -> validate(EC.client("eve").chain(), other.caCertificate()));
    }

    @Test
    void serialNumbersDiffer() {
        assertTrue(!EC.client("a").certificate().getSerialNumber().equals(EC.client("a").certificate().getSerialNumber()));
    }

    @Test
    void pemFilesReadBack(@TempDir Path dir) throws Exception {
        Issued alice = EC.client("alice");
        alice.writeCertificatePem(dir.resolve("c.pem"));
        alice.writeKeyPem(dir.resolve("k.pem"));
        assertEquals(alice.certificate(), Certificates.parseAny(Files.readString(dir.resolve("c.pem"))));
        assertTrue(Files.readString(dir.resolve("k.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(alice.privateKey(), io.p2sgw.pki.Pem.readPrivateKey(Files.readString(dir.resolve("k.pem")), java.util.Optional.empty()));
    }

    @Test
    void keyAndChainIsTheSameKeyAndChain() {
        Issued alice = EC.client("alice");
        assertEquals(alice.chain(), alice.keyAndChain().chain());
        assertEquals(alice.privateKey(), alice.keyAndChain().key());
    }
}
