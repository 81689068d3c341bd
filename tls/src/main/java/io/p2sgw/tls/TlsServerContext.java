package io.p2sgw.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * A server-side JSSE context built once from a {@link ServerIdentity}; makes one fresh {@link TlsPipe}
 * per TLS session (OpenVPN uses a new TLS session per key_id, openvpn.md §9.1). Thread-safe.
 *
 * <p>Two kinds of session: {@link ClientAuth#REQUIRED} (OpenVPN, EAP-TLS inside SSTP's PPP and IKEv2's EAP) and
 * {@link ClientAuth#NONE} (SSTP's outer HTTPS, where the client authenticates later, inside PPP; sstp.md §2). The
 * CertificateRequest names the roots the {@code trustedRoots} supplier gives at that handshake; the chain itself is
 * judged after the handshake by the caller's certificate policy ({@link AnyClientChainTrustManager}).
 */
public final class TlsServerContext {
    /** TLS 1.2 and 1.3 only (openvpn.md §1, SSTP needs 1.2). */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** TLS 1.2 only: the inner EAP-TLS version that pppd 2.4.9 and every Windows client speak (sstp.md §4.3). */
    public static final List<String> TLS_1_2_ONLY = List.of("TLSv1.2");

    /** Whether the server asks the client for a certificate. */
    public enum ClientAuth {
        /** CertificateRequest sent; a client without a certificate fails the handshake (certificate_required). */
        REQUIRED,
        /** No CertificateRequest (SSTP's outer HTTPS; the client authenticates inside PPP with EAP-TLS). */
        NONE
    }

    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

    /** JSSE's switch for TLS 1.3 NewSessionTicket messages (0..10, default 1; read once, at JSSE's first use). */
    static final String NEW_SESSION_TICKET_COUNT = "jdk.tls.server.newSessionTicketCount";

    static {
        // No OpenVPN or SSTP client resumes a TLS session (OpenVPN starts a fresh TLS session per key_id,
        // openvpn.md §9.1), so a ticket is an encryption of the session state and a record per handshake for
        // nothing: about 0.5 ms of a 2048-bit RSA handshake's server CPU. An operator's own -D setting wins.
        if (System.getProperty(NEW_SESSION_TICKET_COUNT) == null) {
            System.setProperty(NEW_SESSION_TICKET_COUNT, "0");
        }
    }

    private final SSLContext context;
    private final X509Certificate serverCertificate;
    private final ServerIdentity identity;
    private final Supplier<? extends Collection<X509Certificate>> trustedRoots;
    private final SecureRandom random;

    /** A context whose CertificateRequest names no issuer (OpenVPN today: clients send the one certificate they have). */
    public TlsServerContext(ServerIdentity identity, SecureRandom random) throws GeneralSecurityException {
        this(identity, List::of, random);
    }

    /**
     * @param trustedRoots the roots named in every CertificateRequest, asked for at each handshake (give a supplier
     *     that reads the current gateway snapshot so that an uploaded or removed root shows from the next handshake on)
     */
    public TlsServerContext(ServerIdentity identity, Supplier<? extends Collection<X509Certificate>> trustedRoots,
            SecureRandom random) throws GeneralSecurityException {
        this.trustedRoots = Objects.requireNonNull(trustedRoots, "trustedRoots");
        this.identity = identity;
        this.random = random;
        serverCertificate = identity.chain().getFirst();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory key store", e);
        }
        store.setKeyEntry("server", identity.privateKey(), IN_MEMORY_PASSWORD,
                identity.chain().toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, IN_MEMORY_PASSWORD);
        context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), new TrustManager[] {new AnyClientChainTrustManager(trustedRoots)}, random);
        // OpenVPN never resumes (openvpn.md §9.1); a tiny cache keeps per-session memory low.
        context.getServerSessionContext().setSessionCacheSize(1);
    }

    /** A new server-mode TLS 1.2/1.3 session that requires a client certificate (OpenVPN). */
    public TlsPipe newServerPipe() {
        return newServerPipe(ClientAuth.REQUIRED, PROTOCOLS);
    }

    /**
     * A new server-mode TLS session.
     *
     * @param protocols JSSE protocol names, a subset of {@link #PROTOCOLS} (e.g. {@link #TLS_1_2_ONLY} for EAP-TLS)
     */
    public TlsPipe newServerPipe(ClientAuth clientAuth, List<String> protocols) {
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (protocols.isEmpty() || !PROTOCOLS.containsAll(protocols)) {
            throw new IllegalArgumentException("protocols must be a non-empty subset of " + PROTOCOLS + ": " + protocols);
        }
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(protocols.toArray(new String[0]));
        if (clientAuth == ClientAuth.REQUIRED) {
            params.setNeedClientAuth(true);
        } else {
            params.setWantClientAuth(false);
        }
        engine.setSSLParameters(params);
        return new TlsPipe(engine);
    }

    /**
     * The server's leaf certificate from its identity. SSTP's crypto binding hashes the leaf <em>presented in the
     * session</em> (sstp.md §3.4): prefer {@link TlsPipe#localCertificate()} once a handshake has run.
     */
    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    /** The identity this context serves with (EAP-TLS's second TLS stack, {@code eap.Rfc5216Tls12Connection}, uses it). */
    public ServerIdentity identity() {
        return identity;
    }

    /** The roots every CertificateRequest names, read at each handshake. */
    public Supplier<? extends Collection<X509Certificate>> trustedRoots() {
        return trustedRoots;
    }

    /** The random source the context was made with. */
    public SecureRandom random() {
        return random;
    }
}
