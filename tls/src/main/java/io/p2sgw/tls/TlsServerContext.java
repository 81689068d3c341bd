package io.p2sgw.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * A server-side JSSE context built once from a {@link ServerIdentity}; makes one fresh {@link TlsPipe}
 * per TLS session (OpenVPN uses a new TLS session per key_id, openvpn.md §9.1). Thread-safe.
 */
public final class TlsServerContext {
    /** TLS 1.2 and 1.3 only (openvpn.md §1, SSTP needs 1.2). */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

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

    public TlsServerContext(ServerIdentity identity, SecureRandom random) throws GeneralSecurityException {
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
        context.init(kmf.getKeyManagers(), new TrustManager[] {new AnyClientChainTrustManager()}, random);
        // OpenVPN never resumes (openvpn.md §9.1); a tiny cache keeps per-session memory low.
        context.getServerSessionContext().setSessionCacheSize(1);
    }

    /** A new server-mode TLS session that requires a client certificate. */
    public TlsPipe newServerPipe() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(PROTOCOLS.toArray(new String[0]));
        params.setNeedClientAuth(true);
        engine.setSSLParameters(params);
        return new TlsPipe(engine);
    }
}
