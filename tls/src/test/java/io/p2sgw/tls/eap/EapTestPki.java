package io.p2sgw.tls.eap;

import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * RSA-2048 test certificates like the ones Azure's P2S guide makes (sstp.md §4.3: RSA and SHA-256; their flights are
 * long enough to need several EAP fragments): a root, the gateway's server certificate and a client certificate.
 */
final class EapTestPki {
    static final char[] PW = "pw".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    static final KeyPair ROOT_KEYS = rsa();
    static final X509Certificate ROOT = issue("CN=P2S test root", ROOT_KEYS, "CN=P2S test root", ROOT_KEYS, true, null);
    static final KeyPair SERVER_KEYS = rsa();
    static final X509Certificate SERVER = issue("CN=P2S test root", ROOT_KEYS, "CN=vpn.eap.test", SERVER_KEYS, false,
            KeyPurposeId.id_kp_serverAuth);
    static final KeyPair CLIENT_KEYS = rsa();
    static final X509Certificate CLIENT = issue("CN=P2S test root", ROOT_KEYS, "CN=alice", CLIENT_KEYS, false,
            KeyPurposeId.id_kp_clientAuth);

    private EapTestPki() {}

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate issue(String issuer, KeyPair issuerKeys, String subject, KeyPair keys, boolean ca, KeyPurposeId eku) {
        try {
            Instant now = Instant.now();
            var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject),
                    keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (eku != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The gateway's context: names the test root in its CertificateRequest. */
    static TlsServerContext serverContext() {
        try {
            return new TlsServerContext(new ServerIdentity(SERVER_KEYS.getPrivate(), List.of(SERVER, ROOT)),
                    () -> List.of(ROOT), new SecureRandom());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyManager[] clientKeyManagers() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", CLIENT_KEYS.getPrivate(), PW, new Certificate[] {CLIENT, ROOT});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PW);
        return kmf.getKeyManagers();
    }

    static TrustManager[] trustRoot() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("root", ROOT);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf.getTrustManagers();
    }
}
