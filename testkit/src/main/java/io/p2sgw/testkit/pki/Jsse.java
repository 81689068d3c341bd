package io.p2sgw.testkit.pki;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** JSSE key and trust managers over {@link TestPki} certificates, held in memory (no key store files). */
public final class Jsse {
    private static final char[] PASSWORD = "test".toCharArray();

    private Jsse() {
    }

    /** Key managers that present {@code identity}'s whole chain (leaf first, root last) with its key. */
    public static KeyManager[] keyManagers(Issued identity) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("identity", identity.privateKey(), PASSWORD, identity.chain().toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trust managers (PKIX) that trust exactly these certificates as anchors. */
    public static TrustManager[] trustManagers(X509Certificate... anchors) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                ts.setCertificateEntry("anchor" + i, anchors[i]);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context that presents {@code keyManagers} (null: no certificate) and trusts {@code anchors}. */
    public static SSLContext context(KeyManager[] keyManagers, X509Certificate... anchors) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, trustManagers(anchors), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
