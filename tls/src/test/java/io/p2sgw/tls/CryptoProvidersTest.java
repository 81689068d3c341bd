package io.p2sgw.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.net.ssl.ExtendedSSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The provider choice really changes who signs and encrypts, and TLS with client certificates works on both. */
class CryptoProvidersTest {
    @AfterAll
    static void backToTheJdk() {
        // Providers are JVM-wide: the module's other tests run on the JDK's, as they did before this class.
        CryptoProviders.use(CryptoProviders.Choice.JDK);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void fastChoicePutsAwsLcAndBouncyCastleFirstAndTlsStillWorks(String protocol) throws Exception {
        CryptoProviders.Outcome o = CryptoProviders.use(CryptoProviders.Choice.FAST);

        // This project's machines are Linux x86-64, where the library is bundled: a fallback here is a defect.
        assertTrue(o.awsLcInUse(), o.description());
        assertFalse(o.fellBack());
        assertTrue(o.description().startsWith("AWS-LC v"), o.description());
        String accp = AmazonCorrettoCryptoProvider.PROVIDER_NAME;
        assertEquals(accp, Signature.getInstance("RSASSA-PSS").getProvider().getName(), "TLS 1.3 CertificateVerify");
        assertEquals(accp, Signature.getInstance("SHA256withRSA").getProvider().getName(), "TLS 1.2 and certificates");
        assertEquals(accp, Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName(), "records and data channel");
        assertEquals(BouncyCastleX25519.NAME, KeyPairGenerator.getInstance("XDH").getProvider().getName(), "TLS 1.3 key share");
        assertEquals(BouncyCastleX25519.NAME, KeyAgreement.getInstance("XDH").getProvider().getName());
        assertEquals(BouncyCastleX25519.NAME, KeyFactory.getInstance("XDH").getProvider().getName());
        // What neither offers stays with the JDK.
        assertEquals("SunJCE", Cipher.getInstance("ChaCha20-Poly1305").getProvider().getName());

        handshakeWithClientCertificate(protocol);
    }

    @Test
    void jdkChoiceTakesThemOutAgain() throws Exception {
        CryptoProviders.use(CryptoProviders.Choice.FAST);
        CryptoProviders.Outcome o = CryptoProviders.use(CryptoProviders.Choice.JDK);

        assertFalse(o.awsLcInUse());
        assertFalse(o.fellBack(), "the JDK was asked for and given");
        assertEquals("SunRsaSign", Signature.getInstance("RSASSA-PSS").getProvider().getName());
        assertEquals("SunJCE", Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName());
        assertEquals("SunEC", KeyAgreement.getInstance("XDH").getProvider().getName());
        handshakeWithClientCertificate("TLSv1.3");
    }

    @Test
    void installingTwiceKeepsOneEntry() {
        CryptoProviders.use(CryptoProviders.Choice.FAST);
        CryptoProviders.use(CryptoProviders.Choice.FAST);
        for (String name : new String[] {AmazonCorrettoCryptoProvider.PROVIDER_NAME, BouncyCastleX25519.NAME}) {
            assertEquals(1, java.util.Arrays.stream(java.security.Security.getProviders()).filter(p -> p.getName().equals(name)).count(), name);
        }
        assertEquals(AmazonCorrettoCryptoProvider.PROVIDER_NAME, java.security.Security.getProviders()[0].getName());
    }

    @Test
    void anUnknownChoiceIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CryptoProviders.Choice.parse("openssl"));
        assertEquals("crypto must be fast or jdk (got 'openssl')", e.getMessage());
        assertEquals(CryptoProviders.Choice.FAST, CryptoProviders.Choice.parse(" Fast "));
    }

    private static void handshakeWithClientCertificate(String protocol) throws Exception {
        TlsPipeTest.Client client = new TlsPipeTest.Client(protocol);
        TlsPipe server = TlsPipeTest.serverPipe();
        TlsPipeTest.pump(client, server, false);

        assertTrue(server.handshakeComplete());
        assertEquals(protocol, server.protocol());
        assertEquals(TlsPipeTest.CLIENT, server.peerChain().getFirst());
        byte[] ours = server.exportKeyingMaterial(TlsPipeTest.EKM_LABEL, 256);
        byte[] theirs = ((ExtendedSSLSession) client.engine.getSession()).exportKeyingMaterialData(TlsPipeTest.EKM_LABEL, null, 256);
        assertArrayEquals(theirs, ours);
    }
}
