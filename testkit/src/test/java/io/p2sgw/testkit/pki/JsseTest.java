package io.p2sgw.testkit.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** The JSSE managers present the issued chain and trust exactly the anchors given. */
class JsseTest {
    @Test
    void keyManagersPresentTheWholeChainAndTrustManagersOnlyTheAnchors() throws Exception {
        TestPki pki = TestPki.ec("jsse root");
        Issued alice = pki.client("alice");
        X509KeyManager km = (X509KeyManager) Jsse.keyManagers(alice)[0];
        String alias = km.chooseClientAlias(new String[] {"EC"}, null, null);
        assertArrayEquals(alice.chain().toArray(X509Certificate[]::new), km.getCertificateChain(alias));
        assertEquals(alice.privateKey(), km.getPrivateKey(alias));

        X509TrustManager tm = (X509TrustManager) Jsse.trustManagers(pki.caCertificate())[0];
        assertArrayEquals(new X509Certificate[] {pki.caCertificate()}, tm.getAcceptedIssuers());
        tm.checkClientTrusted(alice.chain().toArray(X509Certificate[]::new), "ECDHE_ECDSA");
        Issued stranger = TestPki.ec("other root").client("stranger");
        assertThrows(CertificateException.class,
                () -> tm.checkClientTrusted(stranger.chain().toArray(X509Certificate[]::new), "ECDHE_ECDSA"));
        assertEquals("TLS", Jsse.context(null, pki.caCertificate()).getProtocol());
    }
}
