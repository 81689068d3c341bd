package io.p2sgw.tls.eap;

import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * A TLS 1.2 EAP-TLS client that offers no extended master secret, like strongSwan 5.9.8's libtls: Bouncy Castle's
 * client with the extension switched off. Its key material is computed here from the master secret by the TLS 1.2 PRF
 * written out with the JDK's HMAC (RFC 5246 §5: P_hash), not by the code under test: Key_Material =
 * PRF(master_secret, "client EAP encryption", client.random || server.random) (RFC 5216 §2.3).
 */
final class BcNoEmsClient implements EapTlsPeer.ClientTls {
    private final TlsClientProtocol protocol = new TlsClientProtocol();
    private final Client client;
    private final boolean sendCertificate;
    private final int[] suites;
    /** What the server certificate message carried, leaf first (DER). */
    byte[][] serverChain;
    private boolean complete;

    private final SignatureAndHashAlgorithm signature;

    BcNoEmsClient(int cipherSuite, boolean sendCertificate) {
        this(cipherSuite, sendCertificate, new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
    }

    /** @param signature what the CertificateVerify is signed with (RSA PKCS#1 or RSASSA-PSS) */
    BcNoEmsClient(int cipherSuite, boolean sendCertificate, SignatureAndHashAlgorithm signature) {
        this.signature = signature;
        this.suites = new int[] {cipherSuite};
        this.sendCertificate = sendCertificate;
        this.client = new Client(new JcaTlsCryptoProvider()
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).create(new SecureRandom()));
    }

    @Override
    public byte[] start() throws IOException {
        protocol.connect(client);
        return output();
    }

    @Override
    public byte[] consume(byte[] ciphertext, List<byte[]> applicationData) throws IOException {
        protocol.offerInput(ciphertext);
        int n;
        while ((n = protocol.getAvailableInputBytes()) > 0) {
            byte[] m = new byte[n];
            protocol.readInput(m, 0, n);
            applicationData.add(m);
        }
        return output();
    }

    @Override
    public byte[] keyMaterial() throws Exception {
        SecurityParameters sp = client.context().getSecurityParametersConnection();
        String hmac = sp.getPRFCryptoHashAlgorithm() == org.bouncycastle.tls.crypto.CryptoHashAlgorithm.sha384
                ? "HmacSHA384" : "HmacSHA256";
        // Bouncy Castle keeps the master secret in the session once the handshake is over.
        byte[] master = client.context().getSession().exportSessionParameters().getMasterSecret().extract();
        byte[] seed = concat("client EAP encryption".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                concat(sp.getClientRandom(), sp.getServerRandom()));
        return pHash(hmac, master, seed, 128);
    }

    @Override
    public boolean handshakeDone() {
        return complete;
    }

    /** Whether the session negotiated the extended master secret (it must not have). */
    boolean extendedMasterSecret() {
        return client.context().getSecurityParametersConnection().isExtendedMasterSecret();
    }

    private byte[] output() {
        byte[] out = new byte[protocol.getAvailableOutputBytes()];
        protocol.readOutput(out, 0, out.length);
        return out;
    }

    /** RFC 5246 §5: P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ... */
    private static byte[] pHash(String algorithm, byte[] secret, byte[] seed, int length) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(secret, algorithm));
        byte[] out = new byte[length];
        byte[] a = seed;
        for (int done = 0; done < length; ) {
            a = mac.doFinal(a);
            mac.update(a);
            byte[] block = mac.doFinal(seed);
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private final class Client extends DefaultTlsClient {
        private final JcaTlsCrypto crypto;

        Client(JcaTlsCrypto crypto) {
            super(crypto);
            this.crypto = crypto;
        }

        org.bouncycastle.tls.TlsClientContext context() {
            return context;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return suites;
        }

        @Override
        public boolean shouldUseExtendedMasterSecret() {
            return false; // what strongSwan 5.9.8's libtls does: the point of this client
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            complete = true;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    TlsCertificate[] list = serverCertificate.getCertificate().getCertificateList();
                    serverChain = new byte[list.length][];
                    for (int i = 0; i < list.length; i++) {
                        serverChain[i] = list[i].getEncoded();
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    if (!sendCertificate) {
                        return null;
                    }
                    List<X509Certificate> chain = EapTestPki.CLIENT_ID.chain();
                    TlsCertificate[] certs = new TlsCertificate[chain.size()];
                    try {
                        for (int i = 0; i < certs.length; i++) {
                            certs[i] = crypto.createCertificate(chain.get(i).getEncoded());
                        }
                    } catch (java.security.cert.CertificateEncodingException e) {
                        throw new IOException(e);
                    }
                    return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                            EapTestPki.CLIENT_ID.privateKey(), new Certificate(certs),
                            signature);
                }
            };
        }
    }
}
