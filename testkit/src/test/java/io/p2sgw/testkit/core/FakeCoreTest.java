package io.p2sgw.testkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.RefusalReason;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake core admits what chains to its root and is not revoked, records what the protocol does, re-admits. */
class FakeCoreTest {
    static final TestPki PKI = TestPki.ec("core root");
    static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.10", 40001);
    static final TunnelEndpoint ENDPOINT = new TunnelEndpoint() {
        @Override
        public void sendToClient(ByteBuffer ipPacket) {
        }

        @Override
        public void close(String reason) {
        }
    };

    static AdmissionRequest request(TunnelType type, Issued who) {
        return new AdmissionRequest(type, who.chain(), CLIENT, ENDPOINT);
    }

    @Test
    void admitsTrustedClientsAndRecordsWhatTheSessionDoes() {
        FakeCore core = new FakeCore(TunnelType.IKEV2, PKI.caCertificate());
        Issued alice = PKI.client("alice");
        SessionHandle h = assertInstanceOf(Admission.Admitted.class, core.admit(request(TunnelType.IKEV2, alice))).handle();
        assertTrue(h.connectionId().matches("IKEv2_[0-9a-f-]{36}"), h.connectionId());
        assertEquals(FakeCore.ADDRESS, h.address());
        assertEquals("alice", h.userName());
        assertEquals(CLIENT, h.publicAddress());
        assertEquals(List.of(ENDPOINT), core.endpoints);
        h.fromClient(ByteBuffer.wrap(new byte[] {4, 5, 6}));
        h.droppedToClient(2, 300);
        h.close("bye");
        assertEquals(1, core.fromClient.size());
        assertEquals(2, core.droppedPackets.get());
        assertEquals(300, core.droppedBytes.get());
        assertEquals(List.of("bye"), core.closes);
    }

    @Test
    void refusesStrangersRevokedCertificatesAndOtherTunnelTypes() {
        FakeCore core = new FakeCore(TunnelType.OPENVPN, PKI.caCertificate());
        Issued stranger = TestPki.ec("core root").client("stranger");
        assertEquals(RefusalReason.UNTRUSTED,
                assertInstanceOf(Admission.Refused.class, core.admit(request(TunnelType.OPENVPN, stranger))).reason());
        Issued mallory = PKI.client("mallory");
        core.revoked.add(mallory.thumbprint());
        assertEquals(RefusalReason.REVOKED,
                assertInstanceOf(Admission.Refused.class, core.admit(request(TunnelType.OPENVPN, mallory))).reason());
        assertEquals(RefusalReason.NOT_CONFIGURED,
                assertInstanceOf(Admission.Refused.class, core.admit(request(TunnelType.SSTP, PKI.client("x")))).reason());
        assertEquals(3, core.admissions.size());
        assertEquals(List.of(), core.endpoints);
        // A chain through an intermediate under the root is trusted.
        Issued sub = PKI.intermediate("core sub").client("subby");
        assertInstanceOf(Admission.Admitted.class, core.admit(request(TunnelType.OPENVPN, sub)));
    }

    @Test
    void theSnapshotServesTheTunnelTypeWithItsSecretAndTheRevocations() {
        FakeCore core = new FakeCore(TunnelType.OPENVPN, PKI.caCertificate()).withTunnelSecret(SecretBytes.of(new byte[] {7}));
        core.revoked.add("ab".repeat(20));
        GatewaySnapshot s = core.snapshot().orElseThrow();
        assertEquals(java.util.Set.of(TunnelType.OPENVPN), s.tunnelTypes());
        assertEquals(java.util.Set.of("ab".repeat(20)), s.revokedThumbprints());
        assertTrue(s.tunnelSecrets().containsKey(TunnelType.OPENVPN));
        assertEquals(FakeCore.ROUTES, s.routes());
    }

    @Test
    void readmissionKeepsTheSessionForTheSameClientOnly() {
        FakeCore core = new FakeCore(TunnelType.IKEV2, PKI.caCertificate());
        Issued alice = PKI.client("alice");
        SessionHandle first = assertInstanceOf(Admission.Admitted.class, core.admit(request(TunnelType.IKEV2, alice))).handle();
        SessionHandle second = assertInstanceOf(Admission.Admitted.class, core.readmit(first, request(TunnelType.IKEV2, alice))).handle();
        assertNotSame(first, second);
        assertEquals(first.connectionId(), second.connectionId());
        assertEquals(first.address(), second.address());
        assertEquals(RefusalReason.NOT_SAME_CLIENT, assertInstanceOf(Admission.Refused.class,
                core.readmit(first, request(TunnelType.IKEV2, PKI.client("bob")))).reason());
        core.revoked.add(alice.thumbprint());
        assertEquals(RefusalReason.REVOKED, assertInstanceOf(Admission.Refused.class,
                core.readmit(second, request(TunnelType.IKEV2, alice))).reason());
        assertEquals(3, core.readmissions.size());
        SessionHandle foreign = assertInstanceOf(Admission.Admitted.class,
                new FakeCore(TunnelType.IKEV2, PKI.caCertificate()).admit(request(TunnelType.IKEV2, alice))).handle();
        assertThrows(IllegalArgumentException.class, () -> core.readmit(foreign, request(TunnelType.IKEV2, alice)));
    }
}
