package io.p2sgw.tls.eap;

import io.p2sgw.tls.TlsException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The server side of the TLS session under one EAP-TLS conversation, sans-I/O: whole TLS messages in, flights out, and
 * the EAP key material once the handshake is complete. {@link EapTlsServer} drives it; {@link InnerTls} picks the
 * implementation for the peer's ClientHello: JSSE ({@link JsseEapTlsConnection}) for every peer it can key, Bouncy
 * Castle ({@link Rfc5216Tls12Connection}) for a TLS 1.2 peer without the extended master secret.
 */
public interface EapTlsConnection {
    /** Feeds TLS ciphertext from the peer; on failure, {@link #takeOutput()} holds the alert to send, if any. */
    void receive(ByteBuffer ciphertext) throws TlsException;

    /** Ciphertext produced since the last call (may be empty). */
    byte[] takeOutput();

    /** Whether the handshake has completed (our last flight may still be in {@link #takeOutput()}). */
    boolean handshakeComplete();

    /** The chain the client presented, leaf first; empty when it sent none (or before its Certificate message). */
    List<X509Certificate> peerChain();

    /** "TLSv1.2" or "TLSv1.3" once negotiated. */
    String protocol();

    /** Makes the session impossible to resume: EAP-TLS judges every client afresh (RFC 5216 §2.1.2 lets us decline). */
    void invalidateSession();

    /**
     * The 128 bytes of EAP key material of the completed handshake (MSK then EMSK): RFC 5216 §2.3 for TLS 1.2, RFC 9190
     * §2.3 for TLS 1.3.
     */
    EapTlsKeys exportKeys() throws TlsException;

    /** Encrypts one application-data message (TLS 1.3's protected success indication, RFC 9190 §2.5). */
    void send(byte[] message) throws TlsException;

    /** The leaf this server presented in the session (SSTP's crypto binding hashes it, sstp.md §3.4). */
    Optional<X509Certificate> localCertificate();
}
