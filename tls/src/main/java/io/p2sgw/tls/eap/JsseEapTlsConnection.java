package io.p2sgw.tls.eap;

import io.p2sgw.tls.TlsException;
import io.p2sgw.tls.TlsPipe;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * EAP-TLS over a JSSE {@link TlsPipe}: TLS 1.2 and 1.3. The keys come from JSSE's RFC 5705 exporter, which refuses a
 * TLS 1.2 session without the extended master secret (RFC 7627 §5.4); {@link InnerTls} sends such peers to
 * {@link Rfc5216Tls12Connection} instead.
 */
public final class JsseEapTlsConnection implements EapTlsConnection {
    private final TlsPipe tls;
    private final boolean peerLacksExtendedMasterSecret;

    /** Starts the server side of {@code tls} (a fresh pipe that requires a client certificate). */
    public JsseEapTlsConnection(TlsPipe tls) throws TlsException {
        this(tls, false);
    }

    /**
     * @param peerLacksExtendedMasterSecret the peer's ClientHello offered TLS 1.2 without the extended master secret
     *     and the gateway keeps RFC 7627's stance: the key export will fail, and its error says why
     */
    JsseEapTlsConnection(TlsPipe tls, boolean peerLacksExtendedMasterSecret) throws TlsException {
        this.tls = Objects.requireNonNull(tls, "tls");
        this.peerLacksExtendedMasterSecret = peerLacksExtendedMasterSecret;
        tls.begin();
    }

    @Override
    public void receive(ByteBuffer ciphertext) throws TlsException {
        tls.receive(ciphertext);
    }

    @Override
    public byte[] takeOutput() {
        return tls.takeOutput();
    }

    @Override
    public boolean handshakeComplete() {
        return tls.handshakeComplete();
    }

    @Override
    public List<X509Certificate> peerChain() {
        return tls.peerChain();
    }

    @Override
    public String protocol() {
        return tls.protocol();
    }

    @Override
    public void invalidateSession() {
        tls.invalidateSession();
    }

    @Override
    public EapTlsKeys exportKeys() throws TlsException {
        try {
            return EapTlsKeys.export(tls);
        } catch (TlsException e) {
            if (peerLacksExtendedMasterSecret) {
                throw new TlsException(e.getMessage() + " (the client's TLS 1.2 offered no extended master secret, "
                        + "RFC 7627, and keys without it are switched off)", e);
            }
            throw e;
        }
    }

    @Override
    public void send(byte[] message) throws TlsException {
        tls.send(message);
    }

    @Override
    public Optional<X509Certificate> localCertificate() {
        return tls.localCertificate();
    }
}
