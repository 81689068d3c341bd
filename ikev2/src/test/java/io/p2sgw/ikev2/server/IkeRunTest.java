package io.p2sgw.ikev2.server;

import io.p2sgw.ikev2.esp.EspInUdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TrustedCertificate;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramSender;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.PreAuthBudget;
import io.p2sgw.dataplane.spi.RefusalReason;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.ikev2.engine.ChildSa;
import io.p2sgw.ikev2.engine.TestClient;
import io.p2sgw.ikev2.esp.InboundEspSa;
import io.p2sgw.ikev2.esp.OutboundEspSa;
import io.p2sgw.ikev2.wire.ConfigAttribute;
import io.p2sgw.ikev2.wire.ConfigPayload;
import io.p2sgw.ikev2.wire.AuthPayload;
import io.p2sgw.ikev2.wire.DeletePayload;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.TrafficSelectorPayload;
import io.p2sgw.ikev2.wire.NoncePayload;
import io.p2sgw.ikev2.wire.SaPayload;
import io.p2sgw.ikev2.wire.Proposal;
import io.p2sgw.ikev2.engine.ChildLifetime;
import io.p2sgw.ikev2.wire.EapPayload;
import io.p2sgw.ikev2.engine.EapTlsTestPeer;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.Jsse;
import io.p2sgw.ikev2.wire.ExchangeType;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.IkeMessage;
import io.p2sgw.ikev2.wire.NotifyPayload;
import io.p2sgw.ikev2.wire.NotifyType;
import io.p2sgw.testkit.core.RecordingPreAuthBudget;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IKEv2 binding with a fake core and sender: ports and the non-ESP marker, IKE_SA_INIT then IKE_AUTH admitted
 * by the core (the pool address in CP), the core closing the session (a DELETE to the client), a refusal; the
 * pre-authentication budget (issue 13): a ticket per half-open IKE SA, given back once, junk counted.
 */
class IkeRunTest {
    static final InetSocketAddress GW_500 = new InetSocketAddress("198.51.100.4", 500);
    static final InetSocketAddress GW_4500 = new InetSocketAddress("198.51.100.4", 4500);
    static final int CLIENT_IP = 198 << 24 | 51 << 16 | 100 << 8 | 10;
    static final DatagramPeer PEER_500 = new DatagramPeer(CLIENT_IP, 500, 1, GW_500);
    static final DatagramPeer PEER_4500 = new DatagramPeer(CLIENT_IP, 4500, 2, GW_4500);
    /** Generous: the run answers on threads of its own; the bound only ends a broken test. */
    static final long WAIT_SECONDS = 20;
    /** The gateway's name: its server certificate's and the snapshot's, the IDr clients ask for. */
    static final String SERVER_NAME = "vpn.example.test";

    static TestClient.Pki pki;
    static KeyPair clientKeys;
    static X509Certificate clientCert;
    static IkeV2ServerConfig config;

    final FakeSender sender = new FakeSender();
    final FakeCore core = new FakeCore();
    IkeRun run;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestClient.Pki.create("Test P2S Root");
        clientKeys = pki.newKeys();
        clientCert = pki.client("client1", clientKeys);
        KeyPair serverKeys = pki.newKeys();
        config = IkeV2ServerConfig.of(serverKeys.getPrivate(), List.of(pki.server(SERVER_NAME, serverKeys),
                pki.root()));
    }

    @BeforeEach
    void start() {
        run = new IkeRun(config, sender, core, new SecureRandom());
    }

    /** Replaces the run {@link #start} made with one under another configuration. */
    void restart(IkeV2ServerConfig other) {
        run.stopped("restarted");
        run = new IkeRun(other, sender, core, new SecureRandom());
    }

    @AfterEach
    void stop() {
        if (run != null) {
            run.stopped("test over");
        }
    }

    record Sent(byte[] bytes, DatagramPeer to) {
        /** The IKE message: behind the non-ESP marker on 4500. */
        byte[] ike() {
            if (to.localPort() == 4500) {
                assertArrayEquals(new byte[4], Arrays.copyOf(bytes, 4), "non-ESP marker");
                return Arrays.copyOfRange(bytes, 4, bytes.length);
            }
            return bytes;
        }
    }

    static final class FakeSender implements DatagramSender {
        final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();

        @Override
        public boolean send(ByteBuffer datagram, DatagramPeer to) {
            byte[] b = new byte[datagram.remaining()];
            datagram.duplicate().get(b);
            sent.add(new Sent(b, to));
            return true;
        }

        @Override
        public boolean queue(ByteBuffer datagram, DatagramPeer to) {
            return send(datagram, to);
        }

        @Override
        public void flush() {
        }

        @Override
        public List<InetSocketAddress> localAddresses() {
            return List.of(GW_500, GW_4500);
        }

        Sent next() throws InterruptedException {
            Sent s = sent.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(s, "nothing sent");
            return s;
        }
    }

    static final class FakeHandle implements SessionHandle {
        final List<String> closed = new CopyOnWriteArrayList<>();

        @Override public String connectionId() { return "IKEv2_00000000-0000-0000-0000-000000000001"; }
        @Override public String address() { return "172.16.201.7"; }
        @Override public int poolPrefixLength() { return 24; }
        @Override public String gatewayAddress() { return "172.16.201.1"; }
        @Override public List<String> routes() { return List.of("10.1.0.0/16"); }
        @Override public List<String> dnsServers() { return List.of(); }
        @Override public String userName() { return "client1"; }
        @Override public int tunnelMtu() { return 1400; }
        @Override public InetSocketAddress publicAddress() { return PEER_4500.remote(); }
        @Override public void updatePublicAddress(InetSocketAddress address) { }
        final BlockingQueue<byte[]> fromClient = new LinkedBlockingQueue<>();
        volatile long dropped;

        @Override public void fromClient(ByteBuffer ipPacket) {
            byte[] b = new byte[ipPacket.remaining()];
            ipPacket.duplicate().get(b);
            fromClient.add(b);
        }

        @Override public void droppedToClient(int packets, long bytes) { dropped += packets; }
        @Override public void close(String reason) { closed.add(reason); }
    }

    /**
     * The testkit's recording budget, and how often the protocol gave each ticket back (released or refused): once
     * at most, whichever way; never after the budget expired it.
     */
    static final class CountingBudget implements PreAuthBudget {
        final RecordingPreAuthBudget recording = new RecordingPreAuthBudget();
        final List<Counted> tickets = new CopyOnWriteArrayList<>();

        final class Counted implements Ticket {
            final RecordingPreAuthBudget.Held held;
            final AtomicInteger givenBack = new AtomicInteger();

            Counted(RecordingPreAuthBudget.Held held) {
                this.held = held;
            }

            @Override
            public void release() {
                givenBack.incrementAndGet();
                held.release();
            }

            @Override
            public void refuse(Refusal reason) {
                givenBack.incrementAndGet();
                held.refuse(reason);
            }
        }

        @Override
        public Optional<Ticket> enter(Transport transport, InetSocketAddress from, Runnable onExpiry) {
            return recording.enter(transport, from, onExpiry).map(t -> {
                Counted c = new Counted((RecordingPreAuthBudget.Held) t);
                tickets.add(c);
                return c;
            });
        }

        @Override
        public void refused(Transport transport, InetSocketAddress from, Refusal reason) {
            recording.refused(transport, from, reason);
        }

        long refusals(Refusal reason) {
            return recording.refusals(Transport.UDP, reason);
        }

        Counted only() {
            assertEquals(1, tickets.size(), "tickets taken");
            return tickets.getFirst();
        }
    }

    static final class FakeCore implements GatewayCore {
        final CountingBudget budget = new CountingBudget();
        final List<AdmissionRequest> requests = new CopyOnWriteArrayList<>();
        final FakeHandle handle = new FakeHandle();
        volatile Optional<RefusalReason> refuse = Optional.empty();

        @Override
        public Optional<GatewaySnapshot> snapshot() {
            return Optional.of(new GatewaySnapshot(1, "gw", "VNet1GW", List.of("172.16.201.0/24"),
                    Set.of(TunnelType.IKEV2), List.of(new TrustedCertificate("root", "00", pki.root())), Set.of(),
                    List.of("10.1.0.0/16", "172.16.201.0/24"), List.of(), new ConnectionLimits(128, 250), false, 0, 1,
                    Map.of(), SERVER_NAME));
        }

        @Override
        public PreAuthBudget preAuth() {
            return budget;
        }

        @Override
        public Admission admit(AdmissionRequest request) {
            requests.add(request);
            return refuse.<Admission>map(r -> new Admission.Refused(r, "thumbprint in the revoked list"))
                    .orElse(new Admission.Admitted(handle));
        }

        final List<SessionHandle> readmitted = new CopyOnWriteArrayList<>();

        @Override
        public Admission readmit(SessionHandle current, AdmissionRequest request) {
            readmitted.add(current);
            return admit(request);
        }
    }

    static ByteBuffer marked(byte[] ike) {
        return ByteBuffer.wrap(EspInUdp.withNonEspMarker(ike));
    }

    /** A client at 198.51.100.10 port 500; its IKE_AUTH then comes from port 4500, as a NAT-T client's does. */
    static TestClient client() {
        return new TestClient(PEER_500.remote(), GW_500);
    }

    /** IKE_SA_INIT on 500, answered from the socket it came in on, without the marker; the client takes the answer. */
    void init(TestClient c) throws InterruptedException {
        run.received(ByteBuffer.wrap(c.initRequest()), PEER_500);
        Sent init = sender.next();
        assertEquals(PEER_500, init.to(), "answered from the socket it came in on, without marker on 500");
        c.acceptInit(init.bytes());
    }

    /** A {@linkplain #client() client} whose IKE_SA_INIT the run answered: the next thing it sends is IKE_AUTH. */
    TestClient initiated() throws InterruptedException {
        TestClient c = client();
        init(c);
        return c;
    }

    /** The client's IKE_AUTH with its certificate and a signature AUTH under its own key (RFC 7296 §2.15). */
    static byte[] certAuth(TestClient c) {
        return c.authRequest(clientCert, clientKeys.getPrivate(), SERVER_NAME);
    }

    /** IKE_SA_INIT on 500, IKE_AUTH on 4500 behind the marker; returns the client and the IKE_AUTH answer. */
    IkeMessage connect(TestClient c) throws Exception {
        init(c);
        run.received(marked(certAuth(c)), PEER_4500);
        Sent auth = sender.next();
        assertEquals(PEER_4500, auth.to());
        return c.open(auth.ike());
    }

    @Test
    void admittedClientGetsThePoolAddressAndTheCoresCloseSendsADelete() throws Exception {
        TestClient c = client();
        IkeMessage auth = connect(c);
        ConfigPayload cp = auth.first(ConfigPayload.class).orElseThrow(() -> new AssertionError(auth.payloads()));
        assertArrayEquals(new byte[] {(byte) 172, 16, (byte) 201, 7},
                cp.attributesOf(ConfigAttribute.INTERNAL_IP4_ADDRESS).getFirst().value());
        AdmissionRequest admitted = core.requests.getFirst();
        assertEquals(TunnelType.IKEV2, admitted.tunnelType());
        assertEquals(clientCert, admitted.clientChain().getFirst());
        assertEquals(PEER_4500.remote(), admitted.publicAddress());
        assertNotNull(run.bySpi.get(c.responderSpi()));

        // A NAT keepalive and ESP under an SPI that is not ours are ignored.
        run.received(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), PEER_4500);
        run.received(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 0, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9}), PEER_4500);

        // ESP both ways: the client's packet reaches the core; the core's packet reaches the client on 4500.
        ChildSa child = c.childSa(auth);
        OutboundEspSa clientOut = new OutboundEspSa(child.inboundSpi(), child.encryption(), child.integrity(),
                child.keys().encryptionInitiator(), child.keys().integrityInitiator());
        InboundEspSa clientIn = new InboundEspSa(child.outboundSpi(), child.encryption(), child.integrity(),
                child.keys().encryptionResponder(), child.keys().integrityResponder(), 64);
        byte[] ping = ipv4(new byte[] {(byte) 172, 16, (byte) 201, 7}, new byte[] {10, 1, 0, 4});
        byte[] esp = new byte[clientOut.sealedLength(ping.length)];
        int n = clientOut.seal(ping, 0, ping.length, esp, 0);
        run.received(ByteBuffer.wrap(esp, 0, n), PEER_4500);
        assertArrayEquals(ping, core.handle.fromClient.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        // A replay of it is dropped by the SA's window.
        run.received(ByteBuffer.wrap(esp, 0, n), PEER_4500);
        byte[] pong = ipv4(new byte[] {10, 1, 0, 4}, new byte[] {(byte) 172, 16, (byte) 201, 7});
        admitted.endpoint().sendToClient(ByteBuffer.wrap(pong));
        Sent back = sender.next();
        assertEquals(PEER_4500, back.to());
        byte[] wire = back.bytes();
        int inner = clientIn.open(wire, 0, wire.length);
        assertEquals(pong.length, inner);
        assertArrayEquals(pong, Arrays.copyOfRange(wire, clientIn.payloadOffset(), clientIn.payloadOffset() + inner));
        assertEquals(0, core.handle.dropped);
        assertNull(core.handle.fromClient.poll(), "the replayed packet did not reach the core");

        // Revocation: the core closes the endpoint; the client gets our D(IKE) (flags 0x00) on 4500.
        admitted.endpoint().close("revoked");
        Sent delete = sender.next();
        assertEquals(PEER_4500, delete.to());
        IkeMessage d = c.open(delete.ike());
        assertEquals(0, d.header().flags() & IkeHeader.FLAG_RESPONSE);
        assertEquals(List.of(DeletePayload.ike()), d.payloads());
        awaitGone(c.responderSpi());
        assertTrue(core.handle.closed.getFirst().contains("revoked"), core.handle.closed.toString());
    }

    /**
     * RFC 7296 §1.4.1: the client deletes its only CHILD SA (swanctl --terminate --child). The gateway answers with its
     * D(ESP), tells the client in a D(IKE) that the IKE SA ends too, and gives the lease back once; no SPI is left.
     */
    @Test
    void clientDeletingItsOnlyChildSaEndsTheTunnelAndReleasesTheLeaseOnce() throws Exception {
        run = new IkeRun(config, sender, core, new SecureRandom());
        TestClient c = new TestClient(PEER_500.remote(), GW_500);
        ChildSa child = c.childSa(connect(c));
        assertEquals(run.bySpi.get(c.responderSpi()), run.espSpis.owner(child.inboundSpi()));
        run.received(marked(c.request(ExchangeType.INFORMATIONAL, 2,
                List.of(DeletePayload.esp(List.of(child.outboundSpi()))))), PEER_4500);
        IkeMessage answer = c.open(sender.next().ike());
        assertEquals(IkeHeader.FLAG_RESPONSE, answer.header().flags());
        assertEquals(List.of(DeletePayload.esp(List.of(child.inboundSpi()))), answer.payloads());
        IkeMessage ours = c.open(sender.next().ike());
        assertEquals(0, ours.header().flags());
        assertEquals(List.of(DeletePayload.ike()), ours.payloads());
        awaitGone(c.responderSpi());
        await("the lease is given back", () -> !core.handle.closed.isEmpty());
        assertEquals(1, core.handle.closed.size(), core.handle.closed.toString());
        assertTrue(core.handle.closed.getFirst().contains("last CHILD SA"), core.handle.closed.toString());
        assertNull(run.espSpis.owner(child.inboundSpi()), "our inbound SPI is free again");
        // The client's answer to our D(IKE) finds nothing to act on.
        run.received(marked(c.request(ExchangeType.INFORMATIONAL, 3, List.of())), PEER_4500);
        assertNull(sender.sent.poll(200, TimeUnit.MILLISECONDS));
        assertEquals(1, core.handle.closed.size());
    }

    /** The client's ESP halves of {@code child} (the gateway's view): packets both ways through the run. */
    void espBothWays(ChildSa child) throws Exception {
        OutboundEspSa clientOut = new OutboundEspSa(child.inboundSpi(), child.encryption(), child.integrity(),
                child.keys().encryptionInitiator(), child.keys().integrityInitiator());
        InboundEspSa clientIn = new InboundEspSa(child.outboundSpi(), child.encryption(), child.integrity(),
                child.keys().encryptionResponder(), child.keys().integrityResponder(), 64);
        byte[] ping = ipv4(new byte[] {(byte) 172, 16, (byte) 201, 7}, new byte[] {10, 1, 0, 4});
        byte[] esp = new byte[clientOut.sealedLength(ping.length)];
        int n = clientOut.seal(ping, 0, ping.length, esp, 0);
        run.received(ByteBuffer.wrap(esp, 0, n), PEER_4500);
        assertArrayEquals(ping, core.handle.fromClient.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        byte[] pong = ipv4(new byte[] {10, 1, 0, 4}, new byte[] {(byte) 172, 16, (byte) 201, 7});
        core.requests.getLast().endpoint().sendToClient(ByteBuffer.wrap(pong));
        byte[] wire = sender.next().bytes();
        int inner = clientIn.open(wire, 0, wire.length);
        assertEquals(pong.length, inner, "the client opens our packet under " + child);
    }

    /**
     * The gateway's own CHILD SA rekey through the run's timer (RFC 7296 §1.3.3, §2.8): with the shortest lifetime
     * (10 s) it sends CREATE_CHILD_SA at 8-9 s, then D(ESP) of the old SA; traffic moves to the new SA both ways.
     */
    @Test
    void theGatewayRekeysTheChildSaAtItsLifetimeAndTrafficMovesToTheNewSa() throws Exception {
        run = new IkeRun(config.withChildLifetime(new ChildLifetime(ChildLifetime.MINIMUM)), sender, core,
                new SecureRandom());
        TestClient c = new TestClient(PEER_500.remote(), GW_500);
        ChildSa old = c.childSa(connect(c));
        espBothWays(old);

        IkeMessage rekey = c.open(sender.next().ike());
        assertEquals(ExchangeType.CREATE_CHILD_SA.code(), rekey.header().exchangeType());
        assertEquals(0, rekey.header().flags());
        assertEquals(0, rekey.header().messageId());
        byte[] nr = new byte[32];
        Arrays.fill(nr, (byte) 0x3c);
        int clientSpi = 0x0badcafe;
        Proposal offered = rekey.first(SaPayload.class).orElseThrow().proposals().getFirst();
        List<Payload> answer = new java.util.ArrayList<>(List.of(new SaPayload(List.of(new Proposal(offered.number(),
                Proposal.PROTOCOL_ESP, ByteBuffer.allocate(4).putInt(clientSpi).array(), offered.transforms()))),
                new NoncePayload(nr)));
        answer.addAll(rekey.all(TrafficSelectorPayload.class));
        run.received(marked(c.response(ExchangeType.CREATE_CHILD_SA, 0, answer)), PEER_4500);
        ChildSa fresh = c.childOfGatewayRekey(rekey, nr, clientSpi);

        IkeMessage delete = c.open(sender.next().ike());
        assertEquals(1, delete.header().messageId());
        assertEquals(List.of(DeletePayload.esp(List.of(old.inboundSpi()))), delete.payloads());
        run.received(marked(c.response(ExchangeType.INFORMATIONAL, 1,
                List.of(DeletePayload.esp(List.of(old.outboundSpi()))))), PEER_4500);
        await("the old inbound SPI is released", () -> run.espSpis.owner(old.inboundSpi()) == null);
        espBothWays(fresh);
        assertTrue(core.handle.closed.isEmpty(), "the session lives on");
    }

    /**
     * IKE_SA_INIT, then EAP-TLS inside IKE_AUTH (RFC 7296 §2.16) until the gateway's EAP-Success or EAP-Failure;
     * returns the client, its EAP peer and the last answer. The client's next Message ID is {@code ids[0]}.
     */
    IkeMessage eapTls(TestClient c, EapTlsTestPeer peer, int[] ids) throws Exception {
        init(c);
        run.received(marked(c.eapFirstRequest(SERVER_NAME)), PEER_4500);
        IkeMessage reply = c.open(sender.next().ike());
        assertTrue(reply.first(AuthPayload.class).isPresent(), "our signature AUTH comes with the EAP Start");
        int id = 2;
        while (true) {
            IkeMessage r = reply;
            EapPayload eap = reply.first(EapPayload.class).orElseThrow(() -> new AssertionError(r.payloads()));
            if (eap.code() != EapPayload.CODE_REQUEST) {
                ids[0] = id;
                return reply;
            }
            run.received(marked(c.authRequest(id++, List.of(new EapPayload(peer.respond(eap.message()))))),
                    PEER_4500);
            reply = c.open(sender.next().ike());
        }
    }

    static EapTlsTestPeer peer() {
        return new EapTlsTestPeer(Jsse.context(Jsse.keyManagers(new Issued(clientKeys, List.of(clientCert))),
                pki.root()));
    }

    @Test
    void anEapTlsClientIsAdmittedInsideEapAndGetsThePoolAddressAfterTheMskAuth() throws Exception {
        TestClient c = client();
        EapTlsTestPeer peer = peer();
        int[] next = new int[1];
        IkeMessage success = eapTls(c, peer, next);
        assertEquals(EapPayload.CODE_SUCCESS, success.first(EapPayload.class).orElseThrow().code());
        // The core admitted the certificate presented inside TLS, before EAP-Success.
        assertEquals(1, core.requests.size());
        assertEquals(clientCert, core.requests.getFirst().clientChain().getFirst());
        run.received(marked(c.authRequest(next[0], List.of(c.mskAuth(peer.msk())))), PEER_4500);
        IkeMessage last = c.open(sender.next().ike());
        assertEquals(AuthPayload.SHARED_KEY_MIC, last.first(AuthPayload.class).orElseThrow().method());
        ConfigPayload cp = last.first(ConfigPayload.class).orElseThrow(() -> new AssertionError(last.payloads()));
        assertArrayEquals(new byte[] {(byte) 172, 16, (byte) 201, 7},
                cp.attributesOf(ConfigAttribute.INTERNAL_IP4_ADDRESS).getFirst().value());
        // Established: the core's close sends a DELETE under the next Message ID space (ours, from 0).
        core.requests.getFirst().endpoint().close("revoked");
        IkeMessage d = c.open(sender.next().ike());
        assertEquals(List.of(DeletePayload.ike()), d.payloads());
        awaitGone(c.responderSpi());
    }

    @Test
    void aRevokedEapTlsClientGetsEapFailureAndAuthenticationFailed() throws Exception {
        core.refuse = Optional.of(RefusalReason.REVOKED);
        TestClient c = client();
        IkeMessage last = eapTls(c, peer(), new int[1]);
        assertEquals(EapPayload.CODE_FAILURE, last.first(EapPayload.class).orElseThrow().code());
        assertTrue(((NotifyPayload) last.payloads().getLast()).is(NotifyType.AUTHENTICATION_FAILED));
        assertEquals(1, core.requests.size());
        assertTrue(core.handle.closed.isEmpty(), "nothing was admitted, so nothing to close");
        CountingBudget.Counted ticket = core.budget.only();
        // The refusal is carried out after its answer left; the core counted it, not the handshake budget.
        await("the ticket is given back", () -> ticket.held.released);
        assertEquals(1, ticket.givenBack.get(), "given back once");
        assertEquals(0, core.budget.refusals(PreAuthBudget.Refusal.HANDSHAKE_FAILED));
    }

    @Test
    void refusedClientGetsAuthenticationFailedAgainOnARetransmission() throws Exception {
        core.refuse = Optional.of(RefusalReason.REVOKED);
        TestClient c = initiated();
        byte[] request = certAuth(c);
        run.received(marked(request), PEER_4500);
        byte[] answer = sender.next().ike();
        IkeMessage auth = c.open(answer);
        assertEquals(1, auth.payloads().size());
        assertTrue(((NotifyPayload) auth.payloads().getFirst()).is(NotifyType.AUTHENTICATION_FAILED));
        // The answer was lost, say: the client's retransmission gets the same bytes, and the core is not asked again.
        run.received(marked(request), PEER_4500);
        assertArrayEquals(answer, sender.next().ike());
        assertEquals(1, core.requests.size());
        assertTrue(core.handle.closed.isEmpty(), "nothing was admitted, so nothing to close");
    }

    @Test
    void aSecondIkeSaOfTheSameClientIsAReauthenticationAndInitialContactEndsTheOldOne() throws Exception {
        TestClient first = client();
        connect(first);
        assertTrue(core.readmitted.isEmpty());
        // The same certificate from the same address: RFC 7296 §2.8.3 reauthentication, readmitted into the session
        // (same address, same connection id) instead of a second session.
        TestClient second = client();
        IkeMessage auth = connect(second);
        assertTrue(auth.first(ConfigPayload.class).isPresent(), auth.payloads().toString());
        assertEquals(List.of(core.handle), core.readmitted);
        // Its INITIAL_CONTACT says the client holds no other IKE SA: the old one ends (no DELETE: the client forgot it).
        awaitGone(first.responderSpi());
        assertNotNull(run.bySpi.get(second.responderSpi()));
        assertTrue(core.handle.closed.getFirst().contains("INITIAL_CONTACT"), core.handle.closed.toString());
        assertNull(sender.sent.poll(), "nothing sent for the old SA");
    }

    @Test
    void anEndedTunnelIsNoLongerFoundByItsClientCertificate() throws Exception {
        TestClient first = client();
        connect(first);
        IkeTunnel tunnel = run.bySpi.get(first.responderSpi());
        assertEquals(List.of(tunnel), run.tunnelsOf(clientCert));
        tunnel.close("test: disconnected");
        awaitGone(first.responderSpi());
        assertEquals(List.of(), run.tunnelsOf(clientCert), "an ended tunnel leaves the index (no leak per client)");
        sender.sent.clear(); // the DELETE of the first IKE SA
        // The same certificate from the same address again: the first tunnel ended, so this is a new admission,
        // not a reauthentication of a session that is gone (the tunnels are indexed by certificate until they end).
        TestClient second = client();
        IkeMessage auth = connect(second);
        assertTrue(auth.first(ConfigPayload.class).isPresent(), auth.payloads().toString());
        assertTrue(core.readmitted.isEmpty(), core.readmitted.toString());
        assertEquals(2, core.requests.size());
        assertEquals(List.of(run.bySpi.get(second.responderSpi())), run.tunnelsOf(clientCert));
    }

    @Test
    void ikeSaInitOnTheNatTraversalPortIsAnsweredBehindTheMarker() throws Exception {
        TestClient c = new TestClient(PEER_4500.remote(), GW_4500);
        run.received(marked(c.initRequest()), PEER_4500);
        Sent s = sender.next();
        assertEquals(PEER_4500, s.to());
        c.acceptInit(s.ike());
    }

    @Test
    void legacyDhGroupsOffRefusesWindowsDefaultsWithNoProposalChosen() throws Exception {
        restart(config.withLegacyWindows(false));
        TestClient c = TestClient.windowsDefaults(PEER_500.remote(), GW_500);
        run.received(ByteBuffer.wrap(c.initRequest()), PEER_500);
        byte[] refusal = sender.next().bytes();
        IkeMessage answer = IkeMessage.decode(refusal, 0, refusal.length);
        assertEquals(0, answer.header().responderSpi());
        assertEquals(1, answer.payloads().size());
        assertTrue(((NotifyPayload) answer.payloads().getFirst()).is(NotifyType.NO_PROPOSAL_CHOSEN));
    }

    @Test
    void legacyDhGroupsOnAcceptsWindowsDefaults() throws Exception {
        assertTrue(config.legacyWindows(), "on by default, as Azure does");
        TestClient c = TestClient.windowsDefaults(PEER_500.remote(), GW_500);
        init(c);
        assertTrue(c.responderSpi() != 0);
    }

    // ---------------------------------------------------------------- the pre-authentication budget (issue 13)

    @Test
    void aHalfOpenIkeSaHoldsATicketUntilItsAdmission() throws Exception {
        TestClient c = initiated();
        CountingBudget.Counted ticket = core.budget.only();
        assertEquals(PreAuthBudget.Transport.UDP, ticket.held.transport);
        assertEquals(PEER_500.remote(), ticket.held.from, "the address of the IKE_SA_INIT");
        assertFalse(ticket.held.released, "held while half-open");

        // IKE_AUTH comes from 4500 (NAT-T): the core could not match the ticket, the IKE SA gives it back itself.
        run.received(marked(certAuth(c)), PEER_4500);
        IkeMessage auth = c.open(sender.next().ike());
        assertTrue(auth.first(ConfigPayload.class).isPresent(), auth.payloads().toString());
        assertTrue(ticket.held.released, "released on admission");
        assertEquals(1, ticket.givenBack.get());

        // Ending the established tunnel later gives nothing back twice.
        core.requests.getFirst().endpoint().close("revoked");
        sender.next();
        awaitGone(c.responderSpi());
        assertEquals(1, ticket.givenBack.get(), "given back once");
        assertEquals(0, core.budget.refusals(PreAuthBudget.Refusal.HANDSHAKE_FAILED));
        assertEquals(0, core.budget.refusals(PreAuthBudget.Refusal.TIMEOUT));
    }

    @Test
    void noTicketNoStateAndNoAnswer() throws Exception {
        core.budget.recording.places = false;
        TestClient refused = client();
        run.received(ByteBuffer.wrap(refused.initRequest()), PEER_500);
        await("the budget counted the refusal", () -> core.budget.recording.refusals(PreAuthBudget.Transport.UDP,
                PreAuthBudget.Refusal.TOTAL_CAP) == 1);
        // IKE_SA_INITs are handled in order on one queue: once the next one is answered, the first was handled.
        core.budget.recording.places = true;
        DatagramPeer other = new DatagramPeer(CLIENT_IP + 1, 500, 1, GW_500);
        TestClient next = new TestClient(other.remote(), GW_500);
        run.received(ByteBuffer.wrap(next.initRequest()), other);
        Sent answer = sender.next();
        assertEquals(other, answer.to(), "the refused IKE_SA_INIT got no answer");
        next.acceptInit(answer.bytes());
        assertNull(sender.sent.poll());
        assertEquals(1, core.budget.recording.refusals(PreAuthBudget.Transport.UDP, PreAuthBudget.Refusal.TOTAL_CAP));
        assertEquals(Set.of(next.responderSpi()), run.bySpi.keySet(), "no half-open SA for the refused one");
        assertEquals(other.remote(), core.budget.only().held.from);
    }

    @Test
    void theBudgetsDeadlineDropsTheHalfOpenIkeSa() throws Exception {
        TestClient c = initiated();
        assertNotNull(run.bySpi.get(c.responderSpi()));
        CountingBudget.Counted ticket = core.budget.only();

        ticket.held.expire(); // what the core's timer does at the deadline
        awaitGone(c.responderSpi());
        assertEquals(1, core.budget.refusals(PreAuthBudget.Refusal.TIMEOUT));
        assertEquals(0, ticket.givenBack.get(), "the budget took it back; the IKE SA does not give it back again");
        // Its IKE_AUTH comes too late: nothing answers it, nothing is admitted.
        run.received(marked(certAuth(c)), PEER_4500);
        assertEquals(1, run.unknownIkeSpi.sum(), "an IKE SA nobody knows");
        assertTrue(core.requests.isEmpty());
    }

    @Test
    void garbageIsCountedAsJunkAndStrayEspIsNot() {
        byte[] random = new byte[64];
        new SecureRandom().nextBytes(random);
        random[24] = (byte) 0xEE; // its Length field cannot be 64
        run.received(ByteBuffer.wrap(random), PEER_500);
        run.received(ByteBuffer.wrap(new byte[] {1, 2, 3}), PEER_500);
        run.received(ByteBuffer.wrap(new byte[] {0, 0, 0, 7, 1, 2, 3, 4, 5}), PEER_4500); // reserved SPI 7
        run.received(marked(random), PEER_4500);
        assertEquals(4, core.budget.refusals(PreAuthBudget.Refusal.JUNK));
        // A keepalive is no junk; ESP for an SPI we do not know (a deleted SA's stragglers) is counted apart.
        run.received(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), PEER_4500);
        run.received(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 0, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9}), PEER_4500);
        assertEquals(4, core.budget.refusals(PreAuthBudget.Refusal.JUNK));
        assertEquals(1, run.unknownEspSpi.sum());
        assertTrue(core.budget.tickets.isEmpty(), "no ticket for any of it");
        assertNull(sender.sent.poll());
    }

    @Test
    void aClientRefusedByTheCoreGivesItsTicketBackOnce() throws Exception {
        core.refuse = Optional.of(RefusalReason.REVOKED);
        TestClient c = initiated();
        byte[] request = certAuth(c);
        run.received(marked(request), PEER_4500);
        assertTrue(((NotifyPayload) c.open(sender.next().ike()).payloads().getFirst())
                .is(NotifyType.AUTHENTICATION_FAILED));
        CountingBudget.Counted ticket = core.budget.only();
        // The refusal is carried out after its answer left.
        await("the ticket is given back", () -> ticket.held.released);
        // The retransmission, the refused SA's end and the budget's deadline give nothing back again.
        run.received(marked(request), PEER_4500);
        sender.next();
        ticket.held.expire();
        run.stopped("test over");
        run = null;
        assertEquals(1, ticket.givenBack.get(), "given back once");
        // The certificate policy's refusal is the core's to count, not a failed handshake.
        assertEquals(0, core.budget.refusals(PreAuthBudget.Refusal.HANDSHAKE_FAILED));
        assertEquals(0, core.budget.refusals(PreAuthBudget.Refusal.TIMEOUT));
    }

    @Test
    void anAuthThatDoesNotVerifyIsAFailedHandshake() throws Exception {
        TestClient c = initiated();
        // Signed with a key that is not the certificate's: AUTH does not verify (RFC 7296 §2.15).
        run.received(marked(c.authRequest(clientCert, pki.newKeys().getPrivate(), SERVER_NAME)), PEER_4500);
        assertTrue(((NotifyPayload) c.open(sender.next().ike()).payloads().getFirst())
                .is(NotifyType.AUTHENTICATION_FAILED));
        CountingBudget.Counted ticket = core.budget.only();
        await("the ticket is given back", () -> ticket.held.released);
        assertEquals(1, ticket.givenBack.get());
        assertEquals(1, core.budget.refusals(PreAuthBudget.Refusal.HANDSHAKE_FAILED));
        assertTrue(core.requests.isEmpty(), "the core was not asked");
    }

    @Test
    void aForgedIkeAuthIsABadHmacAndTheRealOneStillGetsIn() throws Exception {
        TestClient c = initiated();
        byte[] request = certAuth(c);
        byte[] forged = request.clone();
        forged[forged.length - 1] ^= 1; // the last byte of the ICV
        run.received(marked(forged), PEER_4500);
        run.received(marked(request), PEER_4500);
        IkeMessage auth = c.open(sender.next().ike());
        assertTrue(auth.first(ConfigPayload.class).isPresent(), auth.payloads().toString());
        assertEquals(1, core.budget.refusals(PreAuthBudget.Refusal.BAD_HMAC));
        assertEquals(1, core.budget.only().givenBack.get());
    }

    /** A minimal IPv4 packet (RFC 791): a 20-byte header and 8 bytes of payload. */
    static byte[] ipv4(byte[] source, byte[] destination) {
        byte[] p = new byte[28];
        p[0] = 0x45;
        p[3] = 28;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(source, 0, p, 12, 4);
        System.arraycopy(destination, 0, p, 16, 4);
        for (int i = 20; i < 28; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    /** Waits (boundedly) for what the run does on its own threads. */
    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(WAIT_SECONDS);
        while (!condition.getAsBoolean() && Instant.now().isBefore(end)) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    private void awaitGone(long spi) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(WAIT_SECONDS);
        while (run.bySpi.containsKey(spi) && Instant.now().isBefore(end)) {
            Thread.sleep(10);
        }
        assertNull(run.bySpi.get(spi), "the IKE SA is gone from the table");
    }
}
