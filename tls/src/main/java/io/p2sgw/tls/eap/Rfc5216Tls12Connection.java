package io.p2sgw.tls.eap;

import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Vector;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * TLS 1.2 under EAP-TLS for a peer that offers no extended master secret (RFC 7627), on Bouncy Castle's low-level TLS
 * server, keyed the way RFC 5216 §2.3 defines: Key_Material = TLS-PRF-128(master_secret, "client EAP encryption",
 * client.random || server.random), MSK its first 64 bytes, EMSK the next 64.
 *
 * <p>Why a second TLS stack: JSSE keys EAP-TLS only through its RFC 5705 exporter, and refuses that for a session
 * without the extended master secret (RFC 7627 §5.4; JDK's SSLSessionImpl: "Exporters require extended master
 * secrets"), with no setting to allow it and no other way to the master secret. strongSwan 5.9.8's libtls is such a
 * peer: its eap-tls (Azure's documented Linux set-up, {@code leftauth=eap-tls}, azure-p2s.md §IKEv2) negotiates TLS 1.2
 * without the extension. RADIUS servers (FreeRADIUS, NPS) key such sessions by RFC 5216 as well; an operator who
 * prefers RFC 7627's stance switches it off ({@link InnerTls#keysWithoutExtendedMasterSecret()}).
 *
 * <p>What matches the JSSE path: TLS 1.2 only, forward-secret suites for the server key's type, a CertificateRequest
 * naming the trusted roots (as {@code AnyClientChainTrustManager} does), any chain accepted here and judged afterwards by
 * the gateway's one certificate policy ({@link EapTlsPolicy}), no session IDs or tickets (nothing to resume). The
 * client's CertificateVerify is checked by Bouncy Castle against the leaf it sent. Not thread-safe.
 */
public final class Rfc5216Tls12Connection implements EapTlsConnection {
    /** RFC 5216 §2.3. */
    static final String KEY_MATERIAL_LABEL = EapTlsKeys.TLS12_LABEL;
    /** The longest client chain we take (RFC 5246 allows 2^24-1 bytes; the EAP reassembly bounds the message anyway). */
    static final int MAX_CHAIN_LENGTH = 10;

    private static final int[] RSA_SUITES = {
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
    };
    private static final int[] ECDSA_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private static final java.security.Provider BC_PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private final TlsServerProtocol protocol = new TlsServerProtocol();
    final Server server;
    private final X509Certificate leaf;
    private boolean failed;

    /**
     * @param trustedRoots the roots the CertificateRequest names, read at this handshake
     */
    public Rfc5216Tls12Connection(ServerIdentity identity, Supplier<? extends Collection<X509Certificate>> trustedRoots,
            SecureRandom random) throws TlsException {
        Objects.requireNonNull(identity, "identity");
        this.leaf = identity.chain().getFirst();
        // Bouncy Castle's own JCA provider, not registered globally: its TLS code asks for algorithms by BC's names
        // (RSASSA-PSS as "SHA256WITHRSAANDMGF1", which a client may use in its CertificateVerify) that the JDK lacks.
        JcaTlsCrypto crypto = new JcaTlsCryptoProvider().setProvider(BC_PROVIDER)
                .create(Objects.requireNonNull(random, "random"));
        this.server = new Server(crypto, identity, Objects.requireNonNull(trustedRoots, "trustedRoots"));
        try {
            protocol.accept(server); // non-blocking mode: nothing happens until the ClientHello is offered
        } catch (IOException e) {
            throw new TlsException("cannot start the TLS 1.2 server: " + e.getMessage(), e);
        }
    }

    @Override
    public void receive(ByteBuffer ciphertext) throws TlsException {
        if (failed) {
            throw new TlsException("the TLS session already failed");
        }
        byte[] bytes = new byte[ciphertext.remaining()];
        ciphertext.get(bytes);
        try {
            protocol.offerInput(bytes);
        } catch (IOException e) {
            // Bouncy Castle has queued its fatal alert (RFC 5246 §7.2.2) in the output: the caller sends it.
            failed = true;
            throw new TlsException(e.getMessage() == null ? "TLS handshake failed" : e.getMessage(), alertOf(e), e);
        }
    }

    @Override
    public byte[] takeOutput() {
        int n = protocol.getAvailableOutputBytes();
        byte[] out = new byte[n];
        if (n > 0) {
            protocol.readOutput(out, 0, n);
        }
        return out;
    }

    @Override
    public boolean handshakeComplete() {
        return server.complete && !failed;
    }

    @Override
    public List<X509Certificate> peerChain() {
        return server.clientChain;
    }

    @Override
    public String protocol() {
        return "TLSv1.2";
    }

    @Override
    public void invalidateSession() {
        // Nothing to do: this server issues no session ID and no ticket, so no session can be resumed.
    }

    @Override
    public EapTlsKeys exportKeys() throws TlsException {
        if (!handshakeComplete() || server.keys == null) {
            throw new TlsException("keying material is available only after the handshake");
        }
        return server.keys;
    }

    @Override
    public void send(byte[] message) throws TlsException {
        try {
            protocol.writeApplicationData(message, 0, message.length);
        } catch (IOException e) {
            throw new TlsException("cannot send application data: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<X509Certificate> localCertificate() {
        return server.credentialsSent ? Optional.of(leaf) : Optional.empty();
    }

    private static String alertOf(IOException e) {
        return e instanceof org.bouncycastle.tls.TlsFatalAlert f ? AlertDescription.getName(f.getAlertDescription())
                : null;
    }

    /** The TLS 1.2 server: our identity, our CertificateRequest, the client's chain kept for the policy. */
    static final class Server extends DefaultTlsServer {
        private final JcaTlsCrypto crypto;
        private final ServerIdentity identity;
        private final Supplier<? extends Collection<X509Certificate>> trustedRoots;
        private final boolean ecdsa;
        List<X509Certificate> clientChain = List.of();
        boolean complete;
        boolean credentialsSent;
        EapTlsKeys keys;

        Server(JcaTlsCrypto crypto, ServerIdentity identity, Supplier<? extends Collection<X509Certificate>> trustedRoots) {
            super(crypto);
            this.crypto = crypto;
            this.identity = identity;
            this.trustedRoots = trustedRoots;
            String algorithm = identity.privateKey().getAlgorithm();
            this.ecdsa = "EC".equals(algorithm) || "ECDSA".equals(algorithm);
        }

        org.bouncycastle.tls.TlsServerContext context() {
            return context;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            // Only suites our key can sign for: DefaultTlsServer picks a suite before it asks for credentials.
            return TlsUtils.getSupportedCipherSuites(getCrypto(), ecdsa ? ECDSA_SUITES : RSA_SUITES);
        }

        @Override
        public int getMaxCertificateChainLength() {
            return MAX_CHAIN_LENGTH;
        }

        @Override
        public int getMaxHandshakeMessageSize() {
            return EapTlsFragment.MAX_TLS_MESSAGE_LENGTH;
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            short[] types = {ClientCertificateType.rsa_sign, ClientCertificateType.ecdsa_sign};
            Vector<X500Name> authorities = new Vector<>();
            for (X509Certificate root : trustedRoots.get()) {
                authorities.add(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()));
            }
            return new CertificateRequest(types, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), authorities);
        }

        @Override
        public void notifyClientCertificate(Certificate certificate) throws IOException {
            // Any chain is taken here; the gateway's policy judges it after the handshake, as on the JSSE path.
            // An empty one completes the handshake and is then refused (EapTlsServer: NO_CLIENT_CERTIFICATE).
            try {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                List<X509Certificate> chain = new ArrayList<>(certificate.getLength());
                for (TlsCertificate c : certificate.getCertificateList()) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(c.getEncoded())));
                }
                clientChain = List.copyOf(chain);
            } catch (CertificateException e) {
                throw new org.bouncycastle.tls.TlsFatalAlert(AlertDescription.bad_certificate, e);
            }
        }

        @Override
        protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
            return signer(SignatureAlgorithm.rsa);
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            return signer(SignatureAlgorithm.ecdsa);
        }

        private TlsCredentialedSigner signer(short signatureAlgorithm) throws IOException {
            TlsCertificate[] chain = new TlsCertificate[identity.chain().size()];
            try {
                for (int i = 0; i < chain.length; i++) {
                    chain[i] = crypto.createCertificate(identity.chain().get(i).getEncoded());
                }
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new org.bouncycastle.tls.TlsFatalAlert(AlertDescription.internal_error, e);
            }
            credentialsSent = true;
            return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                    identity.privateKey(), new Certificate(chain), signatureAndHash(signatureAlgorithm));
        }

        /**
         * The strongest of the client's signature_algorithms (RFC 5246 §7.4.1.4.1) for our key, SHA-256 and up; without
         * the extension, RFC 5246's default (SHA-1 with our key's algorithm).
         */
        private SignatureAndHashAlgorithm signatureAndHash(short signatureAlgorithm) {
            @SuppressWarnings("unchecked")
            Vector<SignatureAndHashAlgorithm> offered = context.getSecurityParametersHandshake().getClientSigAlgs();
            if (offered == null) {
                return new SignatureAndHashAlgorithm(HashAlgorithm.sha1, signatureAlgorithm);
            }
            for (short hash : new short[] {HashAlgorithm.sha256, HashAlgorithm.sha384, HashAlgorithm.sha512}) {
                SignatureAndHashAlgorithm candidate = new SignatureAndHashAlgorithm(hash, signatureAlgorithm);
                if (offered.contains(candidate)) {
                    return candidate;
                }
            }
            for (SignatureAndHashAlgorithm a : offered) {
                if (a.getSignature() == signatureAlgorithm) {
                    return a;
                }
            }
            return new SignatureAndHashAlgorithm(HashAlgorithm.sha256, signatureAlgorithm);
        }

        /**
         * Accepts a client that sends neither renegotiation_info nor the SCSV (RFC 5746 §3.6 lets a server go on):
         * strongSwan's libtls sends neither, and Bouncy Castle would refuse it with handshake_failure. The attack RFC
         * 5746 closes needs a renegotiation, and this server never renegotiates (EAP-TLS ends at the first handshake).
         */
        @Override
        public void notifySecureRenegotiation(boolean secureRenegotiation) {
            // no renegotiation ever follows
        }

        @Override
        public int getRenegotiationPolicy() {
            return org.bouncycastle.tls.RenegotiationPolicy.DENY;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            // Bouncy Castle moves the master secret out of the security parameters into the session when the
            // handshake completes; the session (never resumable here: no ID) keeps it.
            SecurityParameters sp = context.getSecurityParametersConnection();
            org.bouncycastle.tls.SessionParameters session = context.getSession().exportSessionParameters();
            byte[] client = sp.getClientRandom();
            byte[] serverRandom = sp.getServerRandom();
            byte[] seed = new byte[client.length + serverRandom.length];
            System.arraycopy(client, 0, seed, 0, client.length);
            System.arraycopy(serverRandom, 0, seed, client.length, serverRandom.length);
            // The negotiated TLS 1.2 PRF (SHA-256, or SHA-384 for the *_SHA384 suites), as RFC 5216 §2.3 says.
            keys = EapTlsKeys.fromKeyMaterial(
                    TlsUtils.PRF(sp, session.getMasterSecret(), KEY_MATERIAL_LABEL, seed, 2 * EapTlsKeys.KEY_LENGTH).extract());
            complete = true;
        }

        @Override
        public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
            // No logging here: the caller reports the failure with the alert name (EapTlsServer → EAP-Failure).
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            if (alertLevel == AlertLevel.fatal) {
                complete = false;
            }
        }
    }
}
