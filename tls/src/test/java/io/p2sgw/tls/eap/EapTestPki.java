package io.p2sgw.tls.eap;

import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.Jsse;
import io.p2sgw.testkit.pki.TestPki;
import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The EAP-TLS tests' identities, from the project's {@link TestPki}: RSA-2048 like the certificates Azure's P2S guide
 * makes (sstp.md §4.3: RSA and SHA-256; their flights are long enough to need several EAP fragments): a root, the
 * gateway's server certificate and a client certificate.
 */
final class EapTestPki {
    static final TestPki PKI = TestPki.rsa("P2S test root");
    static final X509Certificate ROOT = PKI.caCertificate();
    static final Issued SERVER_ID = PKI.server("vpn.eap.test");
    static final X509Certificate SERVER = SERVER_ID.certificate();
    static final Issued CLIENT_ID = PKI.client("alice");
    static final X509Certificate CLIENT = CLIENT_ID.certificate();

    private EapTestPki() {}

    /** The gateway's context: names the test root in its CertificateRequest. */
    static TlsServerContext serverContext() {
        try {
            return new TlsServerContext(new ServerIdentity(SERVER_ID.privateKey(), List.of(SERVER, ROOT)),
                    () -> List.of(ROOT), new SecureRandom());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The client certificate and key; the peer sends the client certificate and the root. */
    static KeyManager[] clientKeyManagers() {
        return Jsse.keyManagers(CLIENT_ID);
    }

    static TrustManager[] trustRoot() {
        return Jsse.trustManagers(ROOT);
    }
}
