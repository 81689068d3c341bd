package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.AuthSignatures;
import io.p2sgw.ikev2.crypto.DhGroup;
import io.p2sgw.ikev2.crypto.SkCipher;
import io.p2sgw.ikev2.wire.AuthPayload;
import io.p2sgw.ikev2.wire.CertPayload;
import io.p2sgw.ikev2.wire.ConfigAttribute;
import io.p2sgw.ikev2.wire.ConfigPayload;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IdPayload;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.TrafficSelector;
import io.p2sgw.ikev2.wire.TrafficSelectorPayload;
import io.p2sgw.ikev2.wire.Transform;
import io.p2sgw.ikev2.wire.TransformType;
import io.p2sgw.ikev2.wire.StrongSwanMessages;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.security.Security;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * The responder's CPU per full handshake, in process (not a test, not JMH): IKE_SA_INIT with ECP-384 and an
 * AES-GCM-256 proposal as the bench's strongSwan clients send it, then IKE_AUTH with an RSA-2048 certificate, CP and
 * the CHILD SA, as {@link IkeAuthResponderTest}'s pair does. Only the responder's calls are timed (this thread's CPU
 * time), the client's side is not. For the A/B of engine changes beside {@code bench/run --tunnel=ikev2}, whose
 * figure on a shared two-CPU machine is mostly the JIT compiler's and the load's. Run after
 * {@code mvn25 -pl ikev2 -am test-compile}, with the test class path and AWS-LC as the gateway uses it ({@code -Daccp}):
 * <pre>
 * mvn25 -o -q -pl ikev2 dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp
 * java -XX:CompileThresholdScaling=0.05 -Daccp -cp ikev2/target/classes:ikev2/target/test-classes:$(cat /tmp/cp):\
 *   ~/.m2/repository/software/amazon/cryptools/AmazonCorrettoCryptoProvider/2.5.0/AmazonCorrettoCryptoProvider-2.5.0-linux-x86_64.jar \
 *   io.p2sgw.ikev2.engine.HandshakeCost
 * </pre>
 */
final class HandshakeCost {
    private static final int ROUNDS = 6;
    private static final int PER_ROUND = 2_000;

    private HandshakeCost() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("accp") != null) {
            Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                    .getMethod("install").invoke(null);
        }
        System.out.println("first provider: " + Security.getProviders()[0].getName());
        TestPki.Issued root = TestPki.root("Bench Root");
        TestPki.Issued server = TestPki.leaf("vpn.example.test", "vpn.example.test", KeyPurposeId.id_kp_serverAuth,
                root, TestPki.rsa(2048));
        TestPki.Issued client = TestPki.leaf("client1", "client1.example.test", KeyPurposeId.id_kp_clientAuth, root,
                TestPki.rsa(2048));
        // The test host trusts what this root issued (the core's certificate policy in the product).
        IkeAuthResponderTest.root = root;
        SecureRandom random = new SecureRandom();
        IkePolicy policy = IkePolicy.defaults(List.of(IkeAuthResponderTest.spkiHash(root.cert())), false);
        ChildPolicy childPolicy = ChildPolicy.defaults(List.of(TrafficSelectors.ipv4(new byte[] {10, 1, 0, 0}, 16)),
                List.of(new byte[] {10, 1, 0, 53}));
        ServerCredentials credentials = new ServerCredentials(server.keys().getPrivate(), List.of(server.cert()),
                List.of("vpn.example.test"));
        IkeSaInitResponder init = new IkeSaInitResponder(policy, random);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= ROUNDS; round++) {
            long cpu = 0;
            long initCpu = 0;
            for (int i = 0; i < PER_ROUND; i++) {
                TestInitiator c = new TestInitiator(random, IkeSaInitResponderTest.CLIENT,
                        IkeAuthResponderTest.GATEWAY_500, DhGroup.ECP_384);
                c.proposals = List.of(StrongSwanMessages.aeadProposal(new int[] {DhGroup.ECP_384.transformId()}));
                InboundDatagram initRequest = c.datagram(c.request(Optional.empty()));

                long t0 = mx.getCurrentThreadCpuTime();
                List<IkeAction> a = init.receive(initRequest, 0);
                long t1 = mx.getCurrentThreadCpuTime();
                HalfOpenIkeSa sa = IkeSaInitResponderTest.created(a);
                init.completed(sa.initiatorSpi(), sa.peer());

                TestInitiator.Established est = c.accept(IkeSaInitResponderTest.sent(a));
                byte[] authRequest = authRequest(c, est, client, random);
                IkeAuthResponderTest.Host host = new IkeAuthResponderTest.Host();

                long t2 = mx.getCurrentThreadCpuTime();
                IkeAuthResponder auth = new IkeAuthResponder(sa, policy, childPolicy, credentials, host, random);
                List<IkeAction> b = auth.receive(new InboundDatagram(authRequest, IkeAuthResponderTest.CLIENT_4500,
                        IkeAuthResponderTest.GATEWAY_4500), 1_000);
                long t3 = mx.getCurrentThreadCpuTime();
                if (b.stream().noneMatch(IkeAction.Established.class::isInstance)) {
                    throw new IllegalStateException("handshake " + i + " did not complete: " + b);
                }
                initCpu += t1 - t0;
                cpu += (t1 - t0) + (t3 - t2);
            }
            System.out.printf("round %d: responder CPU per handshake %.3f ms (IKE_SA_INIT %.3f ms, IKE_AUTH %.3f ms)%n",
                    round, cpu / 1e6 / PER_ROUND, initCpu / 1e6 / PER_ROUND, (cpu - initCpu) / 1e6 / PER_ROUND);
        }
    }

    /** strongSwan's IKE_AUTH (ikev2.md §2.1): IDi CERT N(INITIAL_CONTACT) CERTREQ IDr AUTH CP SA TSi TSr. */
    private static byte[] authRequest(TestInitiator c, TestInitiator.Established init, TestPki.Issued as,
            SecureRandom random) throws Exception {
        IdPayload idi = IdPayload.of(false, IdPayload.ID_DER_ASN1_DN, as.cert().getSubjectX500Principal().getEncoded());
        byte[] octets = AuthSignatures.octets(c.lastRequest, init.responderNonce(), init.suite().prf(),
                init.keys().skPi(), idi.body());
        AuthPayload auth = AuthSignatures.sign(as.keys().getPrivate(), new int[] {2, 3, 4}, octets);
        byte[] spi = {(byte) 0xc1, (byte) 0xa2, (byte) 0xb3, (byte) 0xd4};
        Proposal gcm = new Proposal(1, Proposal.PROTOCOL_ESP, spi, List.of(
                Transform.of(TransformType.ENCR, 20, 256), Transform.of(TransformType.ESN, 0)));
        List<Payload> ps = List.of(idi, new CertPayload(4, as.cert().getEncoded()),
                NotifyPayload.of(NotifyType.INITIAL_CONTACT),
                IdPayload.of(true, IdPayload.ID_FQDN, "vpn.example.test".getBytes(StandardCharsets.US_ASCII)),
                auth,
                new ConfigPayload(ConfigPayload.CFG_REQUEST, List.of(
                        new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, new byte[0]),
                        new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_DNS, new byte[0]))),
                new SaPayload(List.of(gcm)),
                new TrafficSelectorPayload(false, List.of(TrafficSelector.anyIpv4())),
                new TrafficSelectorPayload(true, List.of(TrafficSelector.anyIpv4())));
        return SkCipher.initiator(init.suite(), init.keys(), random).seal(new IkeHeader(c.spi, init.responderSpi(), 0,
                IkeHeader.VERSION_2_0, ExchangeType.IKE_AUTH.code(), IkeHeader.FLAG_INITIATOR, 1, 0), ps);
    }
}
