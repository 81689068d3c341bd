package io.p2sgw.dataplane.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SessionEvent;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.RefusalReason;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import io.p2sgw.dataplane.tun.QueueTun;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import io.p2sgw.testkit.snapshot.SnapshotBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GatewayDataPlaneTest {
    static TestPki root;
    static TestPki root2;
    static Issued alice;
    static Issued bob;
    static Issued carol;

    @BeforeAll
    static void certs() {
        root = TestPki.ec("P2SRootCert");
        root2 = TestPki.ec("P2SRootCert2");
        alice = root.client("alice");
        bob = root.client("bob");
        carol = root2.client("carol");
    }

    /** A protocol session stand-in: records what the core tells it. */
    static final class FakeEndpoint implements TunnelEndpoint {
        final CountDownLatch closed = new CountDownLatch(1);
        final ConcurrentLinkedQueue<String> closeReasons = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<ByteBuffer> received = new ConcurrentLinkedQueue<>();

        @Override
        public void sendToClient(ByteBuffer ipPacket) {
            ByteBuffer copy = ByteBuffer.allocate(ipPacket.remaining());
            copy.put(ipPacket.duplicate()).flip();
            received.add(copy);
        }

        @Override
        public void close(String reason) {
            closeReasons.add(reason);
            closed.countDown();
        }
    }

    private final ConcurrentLinkedQueue<SessionEvent> events = new ConcurrentLinkedQueue<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private GatewayDataPlane dp;

    @BeforeEach
    void start() throws Exception {
        DataPlaneConfig cfg = new DataPlaneConfig(InetAddress.getLoopbackAddress(), 0, "p2sgwtest0", 1500, false, List.of(),
                List.of(), io.p2sgw.dataplane.transport.StreamAcceptor.ProbeLimits.DEFAULT, meters, Clock.systemUTC());
        dp = new GatewayDataPlane(cfg);
        dp.addListener(events::add);
    }

    @AfterEach
    void stop() {
        dp.close();
    }

    static GatewaySnapshot snapshot(long version, String pool, Set<TunnelType> types, List<TestPki> roots,
            Set<String> revoked, ConnectionLimits limits) {
        return SnapshotBuilder.seed().version(version).pool(pool).tunnelTypes(types)
                .trust(roots.stream().map(TestPki::caCertificate).toList()).revoked(revoked).limits(limits)
                .serverName("gw.example").build();
    }

    static GatewaySnapshot basic(long version, Set<String> revoked) throws Exception {
        return snapshot(version, "172.16.201.0/24", Set.of(TunnelType.OPENVPN), List.of(root, root2), revoked,
                new ConnectionLimits(128, 500));
    }

    private Admission admit(TunnelType type, Issued who, TunnelEndpoint ep) {
        return dp.admit(new AdmissionRequest(type, List.of(who.certificate()), new InetSocketAddress("198.51.100.10", 40001), ep));
    }

    private SessionHandle admitted(Issued who, TunnelEndpoint ep) {
        return assertInstanceOf(Admission.Admitted.class, admit(TunnelType.OPENVPN, who, ep)).handle();
    }

    @Test
    void admitsWithAPoolAddressAndReportsTheSession() throws Exception {
        dp.apply(basic(1, Set.of()));
        SessionHandle h = admitted(alice, new FakeEndpoint());
        assertEquals("172.16.201.2", h.address());
        assertEquals("172.16.201.1", h.gatewayAddress());
        assertEquals(24, h.poolPrefixLength());
        assertEquals("alice", h.userName());
        assertEquals(List.of("10.1.0.0/16", "172.16.201.0/24"), h.routes());
        assertTrue(h.connectionId().matches("OpenVPN_[0-9a-f-]{36}"), h.connectionId());
        SessionInfo info = dp.sessions().getFirst();
        assertEquals(h.connectionId(), info.vpnConnectionId());
        assertEquals(alice.thumbprint(), info.thumbprint());
        assertEquals("198.51.100.10", info.publicAddress().getHostString());
        assertEquals(SessionEvent.Kind.CONNECTED, events.peek().kind());
        assertEquals(1.0, meters.get("p2sgw.sessions").tag("tunnel_type", "OpenVPN").gauge().value());
        assertEquals(1.0, meters.get("p2sgw.admissions").tag("outcome", "admitted").counter().count());
    }

    /**
     * Issue 12: {@code activeActive: true} served half the pool, since the only instance was told it was instance 0 of
     * two. One instance serves the whole pool: a /29 has five addresses for clients, half of it only one.
     */
    @Test
    void anActiveActiveGatewayWithOneInstanceServesTheWholePool() throws Exception {
        GatewaySnapshot b = basic(1, Set.of());
        dp.apply(new GatewaySnapshot(1, b.gatewayId(), b.gatewayName(), List.of("172.16.201.0/29"), b.tunnelTypes(),
                b.trustedCertificates(), b.revokedThumbprints(), b.routes(), b.dnsServers(), b.limits(), true, 0, 1,
                b.tunnelSecrets(), b.serverName()));
        assertEquals("172.16.201.2", admitted(alice, new FakeEndpoint()).address());
        assertEquals("172.16.201.3", admitted(bob, new FakeEndpoint()).address());
        assertEquals("172.16.201.4", admitted(carol, new FakeEndpoint()).address());
    }

    @Test
    void revocationClosesTheLiveSessionAtOnceAndRefusesReconnection() throws Exception {
        dp.apply(basic(1, Set.of()));
        FakeEndpoint aliceEp = new FakeEndpoint();
        FakeEndpoint bobEp = new FakeEndpoint();
        admitted(alice, aliceEp);
        admitted(bob, bobEp);

        dp.apply(basic(2, Set.of(alice.thumbprint())));
        assertTrue(aliceEp.closed.await(1, TimeUnit.SECONDS), "closed within one second");
        assertTrue(aliceEp.closeReasons.peek().contains("revoked"), aliceEp.closeReasons.peek());
        assertEquals(1, bobEp.closed.getCount(), "bob stays connected");
        assertEquals(List.of("bob"), dp.sessions().stream().map(SessionInfo::userName).toList());
        assertTrue(events.stream().anyMatch(e -> e.kind() == SessionEvent.Kind.DISCONNECTED && e.session().userName().equals("alice")));

        Admission again = admit(TunnelType.OPENVPN, alice, new FakeEndpoint());
        assertEquals(RefusalReason.REVOKED, assertInstanceOf(Admission.Refused.class, again).reason());
        assertTrue(events.stream().anyMatch(e -> e.kind() == SessionEvent.Kind.REFUSED && e.reason().startsWith("revoked")));
    }

    @Test
    void applyingTheSameSnapshotAgainChangesNothing() throws Exception {
        GatewaySnapshot s = basic(1, Set.of());
        dp.apply(s);
        FakeEndpoint ep = new FakeEndpoint();
        admitted(alice, ep);
        dp.apply(s);
        dp.apply(basic(1, Set.of()));
        assertEquals(1, dp.sessions().size());
        assertEquals(1, ep.closed.getCount());
    }

    @Test
    void removingARootClosesItsClientsOnly() throws Exception {
        dp.apply(basic(1, Set.of()));
        FakeEndpoint aliceEp = new FakeEndpoint();
        FakeEndpoint carolEp = new FakeEndpoint();
        admitted(alice, aliceEp);
        admitted(carol, carolEp);
        dp.apply(snapshot(2, "172.16.201.0/24", Set.of(TunnelType.OPENVPN), List.of(root), Set.of(), new ConnectionLimits(128, 500)));
        assertTrue(carolEp.closed.await(1, TimeUnit.SECONDS));
        assertTrue(carolEp.closeReasons.peek().contains("root"), carolEp.closeReasons.peek());
        assertEquals(1, aliceEp.closed.getCount());
        assertEquals(RefusalReason.UNTRUSTED,
                assertInstanceOf(Admission.Refused.class, admit(TunnelType.OPENVPN, carol, new FakeEndpoint())).reason());
    }

    @Test
    void removingTheTunnelTypeClosesItsSessions() throws Exception {
        dp.apply(snapshot(1, "172.16.201.0/24", Set.of(TunnelType.OPENVPN, TunnelType.IKEV2), List.of(root), Set.of(),
                new ConnectionLimits(128, 500)));
        FakeEndpoint ovpn = new FakeEndpoint();
        FakeEndpoint ike = new FakeEndpoint();
        admitted(alice, ovpn);
        assertInstanceOf(Admission.Admitted.class, admit(TunnelType.IKEV2, bob, ike));
        dp.apply(snapshot(2, "172.16.201.0/24", Set.of(TunnelType.IKEV2), List.of(root), Set.of(), new ConnectionLimits(128, 500)));
        assertTrue(ovpn.closed.await(1, TimeUnit.SECONDS));
        assertEquals(1, ike.closed.getCount());
        assertEquals(RefusalReason.NOT_CONFIGURED,
                assertInstanceOf(Admission.Refused.class, admit(TunnelType.OPENVPN, alice, new FakeEndpoint())).reason());
    }

    @Test
    void skuLimitCountsIkev2AndOpenVpnTogetherAndSstpApart() throws Exception {
        dp.apply(snapshot(1, "172.16.201.0/24", Set.of(TunnelType.OPENVPN, TunnelType.IKEV2, TunnelType.SSTP), List.of(root),
                Set.of(), new ConnectionLimits(1, 2)));
        admitted(alice, new FakeEndpoint());
        assertInstanceOf(Admission.Admitted.class, admit(TunnelType.IKEV2, bob, new FakeEndpoint()));
        Admission third = admit(TunnelType.OPENVPN, bob, new FakeEndpoint());
        Admission.Refused r = assertInstanceOf(Admission.Refused.class, third);
        assertEquals(RefusalReason.LIMIT_REACHED, r.reason());
        assertTrue(r.detail().contains("2"), r.detail());
        SessionHandle sstp = assertInstanceOf(Admission.Admitted.class, admit(TunnelType.SSTP, alice, new FakeEndpoint())).handle();
        assertEquals("172.16.201.129", sstp.address(), "SSTP gets the upper half when combined (azure-p2s.md §2.1)");
        assertEquals(25, sstp.poolPrefixLength());
        assertEquals(RefusalReason.LIMIT_REACHED,
                assertInstanceOf(Admission.Refused.class, admit(TunnelType.SSTP, bob, new FakeEndpoint())).reason());
    }

    /**
     * OpenVPN and IKEv2 lease from the same slice (the whole pool, or its lower half beside SSTP): one lease table for
     * both, so an OpenVPN and an IKEv2 client never get the same address (found by {@code p2sgw demo}: both got .2).
     */
    @Test
    void openVpnAndIkeV2ShareOneLeaseTableWithAndWithoutSstp() throws Exception {
        for (Set<TunnelType> types : List.of(Set.of(TunnelType.OPENVPN, TunnelType.IKEV2),
                Set.of(TunnelType.OPENVPN, TunnelType.IKEV2, TunnelType.SSTP))) {
            dp.apply(snapshot(types.size(), "172.16.201.0/24", types, List.of(root), Set.of(), new ConnectionLimits(128, 500)));
            SessionHandle ovpn = admitted(alice, new FakeEndpoint());
            SessionHandle ike = assertInstanceOf(Admission.Admitted.class, admit(TunnelType.IKEV2, bob, new FakeEndpoint())).handle();
            assertEquals("172.16.201.2", ovpn.address(), types.toString());
            assertEquals("172.16.201.3", ike.address(), types + ": the IKEv2 client must not get the OpenVPN client's address");
            ovpn.close("test done");
            ike.close("test done");
        }
    }

    @Test
    void theSessionsOtherInstancesHoldCountAgainstTheSkuLimit() throws Exception {
        dp.apply(snapshot(1, "172.16.201.0/24", Set.of(TunnelType.OPENVPN, TunnelType.SSTP), List.of(root), Set.of(),
                new ConnectionLimits(2, 3).withElsewhere(2, 2)));
        admitted(alice, new FakeEndpoint());
        Admission.Refused r = assertInstanceOf(Admission.Refused.class, admit(TunnelType.OPENVPN, bob, new FakeEndpoint()));
        assertEquals(RefusalReason.LIMIT_REACHED, r.reason());
        assertTrue(r.detail().contains("3 are connected (2 of them to the gateway's other instances)"), r.detail());
        assertEquals(RefusalReason.LIMIT_REACHED,
                assertInstanceOf(Admission.Refused.class, admit(TunnelType.SSTP, bob, new FakeEndpoint())).reason());

        // The other instances' sessions ended: their places are free again, and no session here was closed.
        dp.apply(snapshot(2, "172.16.201.0/24", Set.of(TunnelType.OPENVPN, TunnelType.SSTP), List.of(root), Set.of(),
                new ConnectionLimits(2, 3).withElsewhere(0, 1)));
        assertEquals(1, dp.sessions().size());
        assertInstanceOf(Admission.Admitted.class, admit(TunnelType.OPENVPN, bob, new FakeEndpoint()));
        assertInstanceOf(Admission.Admitted.class, admit(TunnelType.SSTP, bob, new FakeEndpoint()));
    }

    @Test
    void exhaustedPoolRefusesWithAReason() throws Exception {
        dp.apply(snapshot(1, "172.16.201.0/29", Set.of(TunnelType.OPENVPN), List.of(root), Set.of(), new ConnectionLimits(128, 500)));
        for (int i = 0; i < 5; i++) {
            admitted(alice, new FakeEndpoint());
        }
        assertEquals(5, dp.sessions().stream().map(SessionInfo::privateAddress).distinct().count());
        Admission.Refused r = assertInstanceOf(Admission.Refused.class, admit(TunnelType.OPENVPN, bob, new FakeEndpoint()));
        assertEquals(RefusalReason.POOL_EXHAUSTED, r.reason());
        assertTrue(r.detail().contains("172.16.201.0/29"), r.detail());
        assertEquals(1.0, meters.get("p2sgw.admissions").tag("outcome", "pool_exhausted").counter().count());
    }

    @Test
    void disconnectEndsNamedSessionsAndTheClientGetsItsAddressBack() throws Exception {
        dp.apply(basic(1, Set.of()));
        FakeEndpoint ep = new FakeEndpoint();
        SessionHandle a = admitted(alice, ep);
        SessionHandle b = admitted(bob, new FakeEndpoint());
        assertEquals(1, dp.disconnect(List.of(a.connectionId(), "OpenVPN_nonexistent"), "admin"));
        assertTrue(ep.closed.await(1, TimeUnit.SECONDS));
        assertEquals(List.of(b.connectionId()), dp.sessions().stream().map(SessionInfo::vpnConnectionId).toList());
        SessionHandle again = admitted(alice, new FakeEndpoint());
        assertEquals(a.address(), again.address());
    }

    @Test
    void protocolCloseReleasesTheLeaseAndReportsOnce() throws Exception {
        dp.apply(basic(1, Set.of()));
        FakeEndpoint ep = new FakeEndpoint();
        SessionHandle a = admitted(alice, ep);
        a.close("client quit");
        a.close("client quit");
        assertEquals(List.of(), dp.sessions());
        assertEquals(1, events.stream().filter(e -> e.kind() == SessionEvent.Kind.DISCONNECTED).count());
        assertEquals(1, ep.closed.getCount(), "the core does not call back into a protocol that closed itself");
    }

    @Test
    void refusesEverythingWithoutASnapshot() {
        Admission.Refused r = assertInstanceOf(Admission.Refused.class, admit(TunnelType.OPENVPN, alice, new FakeEndpoint()));
        assertEquals(RefusalReason.NOT_CONFIGURED, r.reason());
        assertTrue(events.peek().kind() == SessionEvent.Kind.REFUSED);
    }

    @Test
    void spoofedSourceIsDroppedAndCounted() throws Exception {
        dp.apply(basic(1, Set.of()));
        SessionHandle a = admitted(alice, new FakeEndpoint());
        byte[] p = new byte[20];
        p[0] = 0x45;
        p[12] = 10;
        p[13] = 9;
        p[14] = 9;
        p[15] = 9;
        a.fromClient(ByteBuffer.wrap(p));
        assertEquals(1.0, meters.get("p2sgw.packets.dropped").tag("reason", "spoofed_source").counter().count());
        assertEquals(0, dp.sessions().getFirst().ingressPackets());
    }

    // ---------------------------------------------------------------- issue 12: what IKEv2 and PPP need

    private Admission readmit(SessionHandle current, Issued who, TunnelEndpoint ep) {
        return dp.readmit(current, new AdmissionRequest(current.connectionId().startsWith("IKEv2_") ? TunnelType.IKEV2
                : TunnelType.OPENVPN, List.of(who.certificate()), new InetSocketAddress("198.51.100.10", 4500), ep));
    }

    private GatewaySnapshot ikev2(long version, Set<String> revoked) throws Exception {
        return snapshot(version, "172.16.201.0/24", Set.of(TunnelType.IKEV2), List.of(root, root2), revoked,
                new ConnectionLimits(128, 500));
    }

    private SessionHandle admittedIke(Issued who, TunnelEndpoint ep) {
        return assertInstanceOf(Admission.Admitted.class, admit(TunnelType.IKEV2, who, ep)).handle();
    }

    /**
     * IKEv2 reauthentication is make-before-break (RFC 7296 §2.8.3): the new IKE SA is admitted while the old one
     * lives, and the old one's end must not free the address the new one uses.
     */
    @Test
    void reauthenticationKeepsTheSessionItsAddressAndItsLease() throws Exception {
        dp.apply(ikev2(1, Set.of()));
        FakeEndpoint oldEp = new FakeEndpoint();
        SessionHandle first = admittedIke(alice, oldEp);
        FakeEndpoint newEp = new FakeEndpoint();
        SessionHandle second = assertInstanceOf(Admission.Admitted.class, readmit(first, alice, newEp)).handle();

        assertEquals(first.address(), second.address());
        assertEquals(first.connectionId(), second.connectionId(), "one session: the health API shows one id");
        assertEquals(1, dp.sessions().size());
        assertEquals(1.0, meters.get("p2sgw.sessions").tag("tunnel_type", "IkeV2").gauge().value());
        assertEquals(1, events.stream().filter(e -> e.kind() == SessionEvent.Kind.CONNECTED).count());
        assertEquals(4500, dp.sessions().getFirst().publicAddress().getPort(), "the new SA's address is reported");

        first.close("old IKE SA deleted");
        assertEquals(1, dp.sessions().size(), "the old SA's end does not end the session");
        assertEquals(0, events.stream().filter(e -> e.kind() == SessionEvent.Kind.DISCONNECTED).count());
        assertEquals(1, newEp.closed.getCount());
        // The lease is still held: the next client gets another address, not alice's.
        assertEquals("172.16.201.3", admittedIke(bob, new FakeEndpoint()).address());

        second.close("client quit");
        assertEquals(List.of("bob"), dp.sessions().stream().map(SessionInfo::userName).toList());
        assertEquals(1, events.stream().filter(e -> e.kind() == SessionEvent.Kind.DISCONNECTED).count());
        assertEquals("172.16.201.2", admittedIke(alice, new FakeEndpoint()).address(), "now the address is free again");
    }

    @Test
    void packetsGoToTheNewEndpointAndTheOldOneStillForwards() throws Exception {
        QueueTun tun = new QueueTun();
        dp.apply(ikev2(1, Set.of()));
        dp.useExternalTun(tun);
        FakeEndpoint oldEp = new FakeEndpoint();
        SessionHandle first = admittedIke(alice, oldEp);
        FakeEndpoint newEp = new FakeEndpoint();
        SessionHandle second = assertInstanceOf(Admission.Admitted.class, readmit(first, alice, newEp)).handle();

        tun.queue.add(packet("10.1.0.4", first.address(), 100));
        await(() -> newEp.received.size() == 1);
        assertEquals(0, oldEp.received.size());

        first.fromClient(ByteBuffer.wrap(packet(first.address(), "10.1.0.4", 60)));
        second.fromClient(ByteBuffer.wrap(packet(first.address(), "10.1.0.4", 60)));
        assertEquals(2, tun.written.size(), "both SAs forward while both live");
        SessionInfo info = dp.sessions().getFirst();
        assertEquals(120, info.ingressBytes());
        assertEquals(100, info.egressBytes());
    }

    @Test
    void reAdmissionAppliesThePolicyAsItIsNow() throws Exception {
        dp.apply(ikev2(1, Set.of()));
        SessionHandle alices = admittedIke(alice, new FakeEndpoint());
        // Another certificate may not take alice's session over.
        Admission.Refused other = assertInstanceOf(Admission.Refused.class, readmit(alices, bob, new FakeEndpoint()));
        assertEquals(RefusalReason.NOT_SAME_CLIENT, other.reason());
        // Nor may the same certificate over another tunnel type.
        Admission.Refused type = assertInstanceOf(Admission.Refused.class, dp.readmit(alices, new AdmissionRequest(
                TunnelType.OPENVPN, List.of(alice.certificate()), new InetSocketAddress("198.51.100.10", 1), new FakeEndpoint())));
        assertEquals(RefusalReason.NOT_CONFIGURED, type.reason());

        // Revoked since: refused; the revocation itself ended the session at once.
        dp.apply(ikev2(2, Set.of(alice.thumbprint())));
        Admission.Refused revoked = assertInstanceOf(Admission.Refused.class, readmit(alices, alice, new FakeEndpoint()));
        assertEquals(RefusalReason.REVOKED, revoked.reason());
        assertEquals(List.of(), dp.sessions());
        assertTrue(events.stream().anyMatch(e -> e.kind() == SessionEvent.Kind.REFUSED && e.reason().startsWith("revoked")));
    }

    @Test
    void whenTheNewHandleEndsFirstTheCoreClosesTheOldEndpoint() throws Exception {
        dp.apply(ikev2(1, Set.of()));
        FakeEndpoint oldEp = new FakeEndpoint();
        SessionHandle first = admittedIke(alice, oldEp);
        SessionHandle second = assertInstanceOf(Admission.Admitted.class, readmit(first, alice, new FakeEndpoint())).handle();
        second.close("new IKE SA failed");
        assertTrue(oldEp.closed.await(5, TimeUnit.SECONDS), "the session is over, so is its older SA");
        assertEquals(List.of(), dp.sessions());
        first.close("old IKE SA deleted"); // late and harmless
        assertEquals(1, events.stream().filter(e -> e.kind() == SessionEvent.Kind.DISCONNECTED).count());
    }

    @Test
    void theCoreEndingASessionClosesEveryEndpointOfIt() throws Exception {
        dp.apply(ikev2(1, Set.of()));
        FakeEndpoint oldEp = new FakeEndpoint();
        SessionHandle first = admittedIke(alice, oldEp);
        FakeEndpoint newEp = new FakeEndpoint();
        readmit(first, alice, newEp);
        assertEquals(1, dp.disconnect(List.of(first.connectionId()), "admin"));
        assertTrue(oldEp.closed.await(5, TimeUnit.SECONDS));
        assertTrue(newEp.closed.await(5, TimeUnit.SECONDS));
    }

    @Test
    void reAdmissionAfterTheSessionEndedIsAFreshAdmission() throws Exception {
        dp.apply(ikev2(1, Set.of()));
        SessionHandle first = admittedIke(alice, new FakeEndpoint());
        first.close("old SA died first");
        SessionHandle again = assertInstanceOf(Admission.Admitted.class, readmit(first, alice, new FakeEndpoint())).handle();
        assertEquals(first.address(), again.address());
        assertTrue(!again.connectionId().equals(first.connectionId()), "a new session");
        assertEquals(1, dp.sessions().size());
    }

    @Test
    void aNatRebindingShowsInTheHealthApi() throws Exception {
        dp.apply(ikev2(1, Set.of()));
        SessionHandle h = admittedIke(alice, new FakeEndpoint());
        InetSocketAddress rebound = new InetSocketAddress("203.0.113.9", 61000);
        h.updatePublicAddress(rebound);
        assertEquals(rebound, h.publicAddress());
        assertEquals(rebound, dp.sessions().getFirst().publicAddress());
    }

    @Test
    void theTunnelMtuIsTheCoresOneSetting() throws Exception {
        dp.apply(ikev2(1, Set.of()));
        assertEquals(DataPlaneConfig.TUNNEL_MTU, admittedIke(alice, new FakeEndpoint()).tunnelMtu());
        assertEquals(1400, DataPlaneConfig.TUNNEL_MTU);
    }

    /** azure-p2s.md §6.1: {@code IKEv2_<GUID>}; OpenVPN and SSTP alike. The tunnel type makes the prefix. */
    @Test
    void connectionIdsNameTheProtocol() throws Exception {
        dp.apply(snapshot(1, "172.16.201.0/24", Set.of(TunnelType.OPENVPN, TunnelType.IKEV2, TunnelType.SSTP),
                List.of(root, root2), Set.of(), new ConnectionLimits(128, 500)));
        String guid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
        Map<TunnelType, String> want = Map.of(TunnelType.OPENVPN, "OpenVPN_" + guid, TunnelType.IKEV2, "IKEv2_" + guid,
                TunnelType.SSTP, "SSTP_" + guid);
        List<Issued> who = List.of(alice, bob, carol);
        int i = 0;
        for (TunnelType t : List.of(TunnelType.OPENVPN, TunnelType.IKEV2, TunnelType.SSTP)) {
            SessionHandle h = assertInstanceOf(Admission.Admitted.class, admit(t, who.get(i++), new FakeEndpoint())).handle();
            assertTrue(h.connectionId().matches(want.get(t)), h.connectionId());
        }
        for (SessionInfo s : dp.sessions()) {
            assertTrue(s.vpnConnectionId().matches(want.get(s.tunnelType())), s.vpnConnectionId());
        }
    }

    // ---------------------------------------------------------------- issue 12: counters and drops

    /** An endpoint whose connection is congested: it drops every packet and says so, as a protocol must. */
    static final class CongestedEndpoint implements TunnelEndpoint {
        volatile SessionHandle handle;
        final java.util.concurrent.atomic.AtomicInteger offered = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void sendToClient(ByteBuffer ipPacket) {
            offered.incrementAndGet();
            handle.droppedToClient(1, ipPacket.remaining());
        }

        @Override
        public void close(String reason) {
        }
    }

    /** Issue 12: a packet the protocol dropped was counted as sent to the client. */
    @Test
    void packetsTheProtocolDropsAreNotCountedAsSent() throws Exception {
        QueueTun tun = new QueueTun();
        dp.apply(basic(1, Set.of()));
        dp.useExternalTun(tun);
        CongestedEndpoint congested = new CongestedEndpoint();
        congested.handle = admitted(alice, congested);
        FakeEndpoint ok = new FakeEndpoint();
        SessionHandle bobs = admitted(bob, ok);
        for (int i = 0; i < 3; i++) {
            tun.queue.add(packet("10.1.0.4", congested.handle.address(), 100));
            tun.queue.add(packet("10.1.0.4", bobs.address(), 200));
        }
        await(() -> congested.offered.get() == 3 && ok.received.size() == 3);
        Map<String, SessionInfo> byUser = new java.util.HashMap<>();
        dp.sessions().forEach(s -> byUser.put(s.userName(), s));
        assertEquals(0, byUser.get("alice").egressBytes());
        assertEquals(0, byUser.get("alice").egressPackets());
        assertEquals(600, byUser.get("bob").egressBytes());
        assertEquals(3, byUser.get("bob").egressPackets());
        assertEquals(600.0, meters.get("p2sgw.bytes").tag("direction", "egress").functionCounter().count());
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done in 20 s");
            }
            Thread.sleep(5);
        }
    }

    /** An IPv4 packet of {@code length} bytes from {@code source} to {@code destination}. */
    static byte[] packet(String source, String destination, int length) {
        byte[] p = new byte[length];
        p[0] = 0x45;
        p[2] = (byte) (length >>> 8);
        p[3] = (byte) length;
        long s = io.p2sgw.dataplane.pool.Ipv4.parse(source);
        long d = io.p2sgw.dataplane.pool.Ipv4.parse(destination);
        for (int i = 0; i < 4; i++) {
            p[12 + i] = (byte) (s >>> (24 - 8 * i));
            p[16 + i] = (byte) (d >>> (24 - 8 * i));
        }
        return p;
    }
}
