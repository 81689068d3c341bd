package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.AuthSignatures;
import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.SkCipher;
import io.p2sgw.ikev2.wire.AuthPayload;
import io.p2sgw.ikev2.wire.CertPayload;
import io.p2sgw.ikev2.wire.ConfigAttribute;
import io.p2sgw.ikev2.wire.ConfigPayload;
import io.p2sgw.ikev2.wire.EncryptedPayload;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IdPayload;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.PayloadChain;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.TrafficSelector;
import io.p2sgw.ikev2.wire.TrafficSelectorPayload;
import io.p2sgw.ikev2.wire.Transform;
import io.p2sgw.ikev2.wire.TransformType;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * A strongSwan-shaped IKEv2 client for tests outside this package (the server binding's): IKE_SA_INIT, then an
 * IKE_AUTH with a certificate, CP and an AES-GCM ESP proposal, without fragmentation; and certificates to go with it.
 */
public final class TestClient {
    private final SecureRandom random = new SecureRandom();
    private final TestInitiator initiator;
    private TestInitiator.Established init;
    private SkCipher cipher;

    public TestClient(InetSocketAddress self, InetSocketAddress gateway) {
        this(self, gateway, DhGroup.CURVE25519);
    }

    private TestClient(InetSocketAddress self, InetSocketAddress gateway, DhGroup group) {
        initiator = new TestInitiator(random, self, gateway, group);
        initiator.fragmentation = false;
    }

    /** A Windows client without the package's script: its twelve default proposals, all with MODP-1024 (ikev2.md §2.4). */
    public static TestClient windowsDefaults(InetSocketAddress self, InetSocketAddress gateway) {
        TestClient c = new TestClient(self, gateway, DhGroup.MODP_1024);
        c.initiator.proposals = TestInitiator.windowsDefaultProposals();
        return c;
    }

    public long initiatorSpi() {
        return initiator.spi;
    }

    public byte[] initRequest() {
        return initiator.request(Optional.empty());
    }

    public void acceptInit(byte[] response) {
        init = initiator.accept(response);
        cipher = SkCipher.initiator(init.suite(), init.keys(), random);
    }

    public long responderSpi() {
        return init.responderSpi();
    }

    /** IKE_AUTH request 1 with the client's certificate and AUTH, IDr {@code gatewayName}. */
    public byte[] authRequest(X509Certificate cert, PrivateKey key, String gatewayName) {
        IdPayload idi = IdPayload.of(false, IdPayload.ID_DER_ASN1_DN, cert.getSubjectX500Principal().getEncoded());
        byte[] octets = AuthSignatures.octets(initiator.lastRequest, init.responderNonce(), init.suite().prf(),
                init.keys().skPi(), idi.body());
        AuthPayload auth = AuthSignatures.sign(key, new int[] {2, 3, 4}, octets);
        byte[] spi = {(byte) 0xc1, (byte) 0xa2, (byte) 0xb3, (byte) 0xd4};
        Proposal gcm = new Proposal(1, Proposal.PROTOCOL_ESP, spi, List.of(
                Transform.of(TransformType.ENCR, 20, 256), Transform.of(TransformType.ESN, 0)));
        try {
            List<Payload> ps = List.of(idi, new CertPayload(4, cert.getEncoded()),
                    NotifyPayload.of(NotifyType.INITIAL_CONTACT),
                    IdPayload.of(true, IdPayload.ID_FQDN, gatewayName.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                    auth,
                    new ConfigPayload(ConfigPayload.CFG_REQUEST, List.of(
                            new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, new byte[0]))),
                    new SaPayload(List.of(gcm)),
                    new TrafficSelectorPayload(false, List.of(TrafficSelector.anyIpv4())),
                    new TrafficSelectorPayload(true, List.of(TrafficSelector.anyIpv4())));
            return cipher.seal(new IkeHeader(initiator.spi, init.responderSpi(), 0, IkeHeader.VERSION_2_0,
                    ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_INITIATOR, 1, 0), ps);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Windows' first IKE_AUTH for EAP (RFC 7296 §2.16): IDi (its address) IDr CP SA TSi TSr and no AUTH. */
    public byte[] eapFirstRequest(String gatewayName) {
        byte[] spi = {(byte) 0xc1, (byte) 0xa2, (byte) 0xb3, (byte) 0xd4};
        Proposal gcm = new Proposal(1, Proposal.PROTOCOL_ESP, spi, List.of(
                Transform.of(TransformType.ENCR, 20, 256), Transform.of(TransformType.ESN, 0)));
        return authRequest(1, List.of(eapIdentity(),
                IdPayload.of(true, IdPayload.ID_FQDN, gatewayName.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                new ConfigPayload(ConfigPayload.CFG_REQUEST, List.of(
                        new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, new byte[0]))),
                new SaPayload(List.of(gcm)),
                new TrafficSelectorPayload(false, List.of(TrafficSelector.anyIpv4())),
                new TrafficSelectorPayload(true, List.of(TrafficSelector.anyIpv4()))));
    }

    /** The IDi of {@link #eapFirstRequest}: the client's IPv4 address, as Windows sends it with EAP. */
    private IdPayload eapIdentity() {
        return IdPayload.of(false, IdPayload.ID_IPV4_ADDR, initiator.self.getAddress().getAddress());
    }

    /** IKE_AUTH request {@code messageId} carrying {@code payloads}. */
    public byte[] authRequest(int messageId, List<Payload> payloads) {
        return cipher.seal(new IkeHeader(initiator.spi, init.responderSpi(), 0, IkeHeader.VERSION_2_0,
                ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_INITIATOR, messageId, 0), payloads);
    }

    /** A protected request {@code messageId} of {@code type} (INFORMATIONAL, CREATE_CHILD_SA) after IKE_AUTH. */
    public byte[] request(ExchangeType type, int messageId, List<Payload> payloads) {
        return cipher.seal(new IkeHeader(initiator.spi, init.responderSpi(), 0, IkeHeader.VERSION_2_0, type.code(),
                IkeHeader.FLAG_INITIATOR, messageId, 0), payloads);
    }

    /** The client's answer (flags 0x28) to the gateway's request {@code messageId}. */
    public byte[] response(ExchangeType type, int messageId, List<Payload> payloads) {
        return cipher.seal(new IkeHeader(initiator.spi, init.responderSpi(), 0, IkeHeader.VERSION_2_0, type.code(),
                IkeHeader.FLAG_INITIATOR | IkeHeader.FLAG_RESPONSE, messageId, 0), payloads);
    }

    /**
     * The CHILD SA of the gateway's own rekey {@code request} (AES-GCM-256, no PFS) answered with {@code nr} and the
     * client's new SPI, as the gateway holds it: prf+(SK_d, Ni | Nr) with the gateway's nonce as Ni, whose first half
     * (initiator→responder) is the gateway's outbound (RFC 7296 §2.17).
     */
    public ChildSa childOfGatewayRekey(IkeMessage request, byte[] nr, int clientSpi) {
        Proposal p = request.first(SaPayload.class).orElseThrow().proposals().getFirst();
        byte[] ni = request.first(io.p2sgw.ikev2.wire.NoncePayload.class).orElseThrow().nonce();
        io.p2sgw.ikev2.crypto.ChildKeys k = io.p2sgw.ikev2.crypto.KeyDerivation.childKeys(init.suite().prf(),
                init.keys().skD(), io.p2sgw.ikev2.crypto.EncryptionAlgorithm.AES_GCM_16_256, Optional.empty(),
                Optional.empty(), ni, nr);
        return new ChildSa(java.nio.ByteBuffer.wrap(p.spi()).getInt(), clientSpi,
                io.p2sgw.ikev2.crypto.EncryptionAlgorithm.AES_GCM_16_256, Optional.empty(),
                new io.p2sgw.ikev2.crypto.ChildKeys(k.encryptionResponder(), k.integrityResponder(),
                        k.encryptionInitiator(), k.integrityInitiator()), List.of(), List.of());
    }

    /** The client's last AUTH of the EAP path: prf(prf(MSK, "Key Pad for IKEv2"), its signed octets). */
    public AuthPayload mskAuth(byte[] msk) {
        io.p2sgw.ikev2.crypto.PrfAlgorithm prf = init.suite().prf();
        byte[] octets = AuthSignatures.octets(initiator.lastRequest, init.responderNonce(), prf, init.keys().skPi(),
                eapIdentity().body());
        return new AuthPayload(AuthPayload.SHARED_KEY_MIC, prf.prf(prf.prf(msk,
                "Key Pad for IKEv2".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), octets));
    }

    /** The header and inner payloads of a protected message from the gateway. */
    public IkeMessage open(byte[] m) {
        IkeMessage msg = IkeMessage.decode(m, 0, m.length);
        EncryptedPayload sk = (EncryptedPayload) msg.payloads().getLast();
        byte[] inner = cipher.open(m, 0, m.length, sk);
        return new IkeMessage(msg.header(), PayloadChain.decode(inner, 0, inner.length, sk.firstInnerType(), 0, true));
    }

    /**
     * The CHILD SA of the gateway's IKE_AUTH answer as the gateway holds it (inbound = its SPI from the reply, with
     * the initiator's keys), derived on the client's side; AES-GCM-256 as {@link #authRequest} offers.
     */
    public ChildSa childSa(IkeMessage authReply) {
        Proposal p = authReply.first(SaPayload.class).orElseThrow().proposals().getFirst();
        int gatewaySpi = java.nio.ByteBuffer.wrap(p.spi()).getInt();
        io.p2sgw.ikev2.crypto.ChildKeys keys = io.p2sgw.ikev2.crypto.KeyDerivation.childKeys(init.suite().prf(),
                init.keys().skD(), io.p2sgw.ikev2.crypto.EncryptionAlgorithm.AES_GCM_16_256, Optional.empty(),
                Optional.empty(), initiator.nonce, init.responderNonce());
        return new ChildSa(gatewaySpi, 0xc1a2b3d4, io.p2sgw.ikev2.crypto.EncryptionAlgorithm.AES_GCM_16_256,
                Optional.empty(), keys, List.of(), List.of());
    }

    /** A test root and certificates issued by it (RSA-2048; clients with the Client Authentication EKU). */
    public record Pki(KeyPair rootKeys, X509Certificate root) {
        public static Pki create(String rootCn) throws Exception {
            TestPki.Issued r = TestPki.root(rootCn);
            return new Pki(r.keys(), r.cert());
        }

        public KeyPair newKeys() throws Exception {
            return TestPki.rsa(2048);
        }

        public X509Certificate client(String cn, KeyPair keys) throws Exception {
            return TestPki.leaf(cn, cn + ".example.test", KeyPurposeId.id_kp_clientAuth,
                    new TestPki.Issued(rootKeys, root), keys).cert();
        }

        public X509Certificate server(String name, KeyPair keys) throws Exception {
            return TestPki.leaf(name, name, KeyPurposeId.id_kp_serverAuth, new TestPki.Issued(rootKeys, root), keys)
                    .cert();
        }
    }
}
