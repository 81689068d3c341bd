package io.p2sgw.ikev2.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.ikev2.engine.IkeAction;
import io.p2sgw.ikev2.engine.IkeSaInitResponder;
import io.p2sgw.ikev2.engine.InboundDatagram;
import io.p2sgw.ikev2.engine.RawPayloads;
import io.p2sgw.ikev2.engine.TestClient;
import io.p2sgw.ikev2.wire.PayloadType;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import io.p2sgw.testkit.snapshot.SnapshotBuilder;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's policies as the snapshot makes them: here, the CERTREQ our IKE_SA_INIT response carries. */
class SnapshotPoliciesTest {
    static final InetSocketAddress GATEWAY = new InetSocketAddress("198.51.100.1", 500);
    static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 500);

    /**
     * Three trusted roots in the snapshot (an RSA, an ECDSA and an RSA one, in a non-alphabetical order): the
     * IKE_SA_INIT response carries one CERTREQ of encoding 4 with SHA-1(DER SubjectPublicKeyInfo) of each, in the
     * snapshot's order (RFC 7296 §3.7, ikev2.md §1.11). Windows chooses its client certificate by these hashes
     * (ikev2.md §2.4), strongSwan sends its CERT only if its CA is named (pitfall §10.1).
     */
    @Test
    void certreqCarriesEverySnapshotRootInSnapshotOrder() throws Exception {
        List<X509Certificate> roots = List.of(TestPki.rsa("Root B").caCertificate(),
                TestPki.ec("Root A").caCertificate(), TestPki.rsa("Root C").caCertificate());
        Issued server = TestPki.rsa("Server Root").server("vpn.example.test", "vpn.example.test");
        GatewaySnapshot snapshot = SnapshotBuilder.seed().trust(roots).build();
        IkeSaInitResponder responder = new IkeSaInitResponder(SnapshotPolicies.ikePolicy(snapshot,
                IkeV2ServerConfig.of(server.keys().getPrivate(), server.chain())), new SecureRandom());

        TestClient client = new TestClient(CLIENT, GATEWAY);
        List<IkeAction> actions = responder.receive(new InboundDatagram(client.initRequest(), CLIENT, GATEWAY), 0);
        byte[] response = ((IkeAction.Send) actions.getFirst()).message();
        byte[] certreq = RawPayloads.inMessage(response, PayloadType.CERTREQ).orElseThrow();

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(4);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        for (X509Certificate root : roots) {
            expected.writeBytes(sha1.digest(root.getPublicKey().getEncoded()));
        }
        // 4-byte generic header (length 65), encoding 4, 3 × 20 bytes of hash.
        assertEquals(65, certreq.length);
        assertArrayEquals(expected.toByteArray(), java.util.Arrays.copyOfRange(certreq, 4, certreq.length),
                HexFormat.of().formatHex(certreq));
    }
}
