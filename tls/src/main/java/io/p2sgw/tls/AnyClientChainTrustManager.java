package io.p2sgw.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts any client chain at the TLS level. Possession of the leaf's private key is still proven by the
 * TLS CertificateVerify message; whether the chain is acceptable is decided after the handshake by the
 * data-plane core's single certificate policy (DESIGN.md "one certificate policy"), so that every protocol
 * refuses with its own code (AUTH_FAILED, IKE notify, SSTP status) and the same logged reason.
 *
 * <p>The accepted issuers are only <em>named</em>: JSSE puts their subjects in the CertificateRequest (TLS 1.2,
 * RFC 5246 §7.4.4 certificate_authorities) or in its certificate_authorities extension (TLS 1.3, RFC 8446 §4.2.4),
 * and Windows picks the client certificate it presents from that list (sstp.md §4.3, ikev2.md §2.4). JSSE asks for
 * them on every handshake ({@code CertificateRequest}, {@code CertificateAuthoritiesExtension}), so a supplier that
 * follows the gateway snapshot changes the names from the next handshake on. JDK 25 sends the TLS 1.3 extension by
 * default: only {@code -Djdk.tls.server.disableExtensions=certificate_authorities} removes it, and JSSE leaves it out
 * silently when the encoded names pass 65535 bytes; {@code jdk.tls.client.enableCAExtension} is about ClientHello
 * only. Checked with a JSSE client's key manager in {@code TlsServerContextTest}.
 */
final class AnyClientChainTrustManager extends X509ExtendedTrustManager {
    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final Supplier<? extends Collection<X509Certificate>> acceptedIssuers;

    /** Names no issuer: clients then send whatever certificate they have (OpenVPN's behaviour). */
    AnyClientChainTrustManager() {
        this(java.util.List::of);
    }

    AnyClientChainTrustManager(Supplier<? extends Collection<X509Certificate>> acceptedIssuers) {
        this.acceptedIssuers = java.util.Objects.requireNonNull(acceptedIssuers, "acceptedIssuers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        requireChain(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
        throw new java.security.cert.CertificateException("server-side trust manager only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws java.security.cert.CertificateException {
        throw new java.security.cert.CertificateException("server-side trust manager only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws java.security.cert.CertificateException {
        throw new java.security.cert.CertificateException("server-side trust manager only");
    }

    /** The names for the CertificateRequest, read on every handshake; none when the supplier gives none. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        Collection<X509Certificate> issuers = acceptedIssuers.get();
        return issuers == null || issuers.isEmpty() ? NO_ISSUERS : issuers.toArray(NO_ISSUERS);
    }

    private static void requireChain(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("empty client chain");
        }
    }
}
