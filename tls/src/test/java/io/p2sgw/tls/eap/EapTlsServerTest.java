package io.p2sgw.tls.eap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.tls.TlsServerContext;
import io.p2sgw.tls.eap.EapError.Reason;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The EAP-TLS server method against a JSSE client wrapped as an EAP-TLS peer ({@link EapTlsPeer}), packet by
 * packet with no I/O: both TLS versions, fragment sizes from 64 bytes to PPP's 1400, policy refusal, a client without
 * a certificate, hostile framing, and the same MSK/EMSK on both sides (RFC 5216 §2.3, RFC 9190 §2.3).
 */
class EapTlsServerTest {
    static final TlsServerContext CONTEXT = EapTestPki.serverContext();

    /** Records what the policy was shown. */
    static final class RecordingPolicy implements EapTlsPolicy {
        final Verdict verdict;
        final List<List<X509Certificate>> seen = new ArrayList<>();

        RecordingPolicy(Verdict verdict) {
            this.verdict = verdict;
        }

        @Override
        public Verdict check(List<X509Certificate> clientChain) {
            seen.add(clientChain);
            return verdict;
        }
    }

    /** The result of a pumped conversation. */
    record Run(EapTlsStep.Finish finish, int requests, int maxServerPacket) {}

    /** Moves packets between the two until the server sends Success or Failure. */
    static Run pump(EapTlsServer server, EapTlsPeer peer, int firstIdentifier, int maxPacketLength) throws Exception {
        byte[] request = server.start(firstIdentifier);
        assertEquals(firstIdentifier, EapPacket.parse(request).identifier());
        int requests = 1;
        int largest = request.length;
        for (int round = 0; round < 20_000; round++) {
            assertArrayEquals(request, server.outstandingRequest().orElseThrow(), "what the carrier retransmits");
            byte[] response = peer.respond(request);
            EapTlsStep step = server.receive(response);
            switch (step) {
                case EapTlsStep.Send send -> {
                    request = send.packet();
                    requests++;
                    largest = Math.max(largest, request.length);
                    assertTrue(request.length <= maxPacketLength, "a " + request.length + "-byte Request");
                }
                case EapTlsStep.Finish finish -> {
                    assertTrue(server.finished());
                    assertTrue(server.outstandingRequest().isEmpty());
                    return new Run(finish, requests, largest);
                }
                case EapTlsStep.Discard discard -> throw new AssertionError("the server discarded our Response: " + discard);
            }
        }
        throw new AssertionError("the conversation did not end");
    }

    @ParameterizedTest(name = "{0}, EAP packets of at most {1} bytes")
    @CsvSource({"TLSv1.2, 64", "TLSv1.2, 100", "TLSv1.2, 517", "TLSv1.2, 1400", "TLSv1.3, 64", "TLSv1.3, 100",
            "TLSv1.3, 517", "TLSv1.3, 1400"})
    void handshakeSuccessAndTheSameKeysOnBothSides(String protocol, int maxPacketLength) throws Exception {
        RecordingPolicy policy = new RecordingPolicy(EapTlsPolicy.Verdict.accept());
        EapTlsServer server = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS, policy, maxPacketLength);
        EapTlsPeer peer = new EapTlsPeer(protocol, EapTestPki.clientKeyManagers(), maxPacketLength);

        Run run = pump(server, peer, 250, maxPacketLength); // identifiers wrap past 255
        assertEquals(EapPacket.SUCCESS, peer.finish(run.finish().packet()), run.finish().outcome().toString());
        assertTrue(peer.handshakeDone());
        EapTlsOutcome.Accepted accepted = assertInstanceOf(EapTlsOutcome.Accepted.class, run.finish().outcome());
        assertEquals(protocol, accepted.tlsProtocol());
        assertEquals(List.of(EapTestPki.CLIENT, EapTestPki.ROOT), accepted.clientChain(), "the chain, leaf first");
        assertEquals(List.of(accepted.clientChain()), policy.seen, "the policy decided once, on that chain");

        byte[] material = peer.keyMaterial();
        assertArrayEquals(Arrays.copyOfRange(material, 0, 64), accepted.keys().msk(), "MSK = key material 0..63");
        assertArrayEquals(Arrays.copyOfRange(material, 64, 128), accepted.keys().emsk(), "EMSK = key material 64..127");
        assertFalse(accepted.keys().toString().contains(Integer.toHexString(material[0] & 0xFF) + Integer.toHexString(material[1] & 0xFF)));

        if (protocol.equals("TLSv1.3")) {
            assertEquals(1, peer.applicationData.size(), "RFC 9190 §2.5: one protected success indication");
            assertArrayEquals(new byte[] {0x00}, peer.applicationData.getFirst());
        } else {
            assertEquals(List.of(), peer.applicationData);
        }
        assertEquals(0, peer.peerFlags.getLast(), "the peer's last Response is the empty final one");
        assertTrue(server.connection().orElseThrow().localCertificate().orElseThrow().equals(EapTestPki.SERVER));
        if (maxPacketLength < 1400) {
            // RSA-2048 chains need several fragments both ways at these sizes.
            assertTrue(peer.serverFlags.contains(EapTlsFragment.L | EapTlsFragment.M), "server fragmented: " + peer.serverFlags);
            assertTrue(peer.serverFlags.contains(EapTlsFragment.M));
            assertTrue(peer.peerFlags.contains(EapTlsFragment.L | EapTlsFragment.M), "peer fragmented: " + peer.peerFlags);
            assertEquals(maxPacketLength, run.maxServerPacket(), "full fragments use the whole packet size");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aRefusedClientGetsFailureWithThePolicysReason(String protocol) throws Exception {
        RecordingPolicy policy = new RecordingPolicy(EapTlsPolicy.Verdict.refuse("thumbprint AB12 is revoked"));
        EapTlsServer server = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS, policy, 300);
        EapTlsPeer peer = new EapTlsPeer(protocol, EapTestPki.clientKeyManagers(), 300);

        Run run = pump(server, peer, 7, 300);
        assertEquals(EapPacket.FAILURE, peer.finish(run.finish().packet()));
        EapTlsOutcome.Refused refused = assertInstanceOf(EapTlsOutcome.Refused.class, run.finish().outcome());
        assertEquals(Reason.POLICY_REFUSED, refused.error().reason());
        assertEquals("thumbprint AB12 is revoked", refused.error().detail());
        assertEquals(EapPacket.FAILURE, refused.error().eapCode());
        assertEquals(EapTestPki.CLIENT, refused.clientChain().getFirst());
        assertEquals(List.of(), peer.applicationData, "no success indication for a refused client");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aClientWithoutCertificateGetsTheAlertThenFailure(String protocol) throws Exception {
        RecordingPolicy policy = new RecordingPolicy(EapTlsPolicy.Verdict.accept());
        EapTlsServer server = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS, policy, 1400);
        EapTlsPeer peer = new EapTlsPeer(protocol, new KeyManager[0], 1400);

        Run run = pump(server, peer, 1, 1400);
        assertEquals(EapPacket.FAILURE, peer.finish(run.finish().packet()));
        EapTlsOutcome.Refused refused = assertInstanceOf(EapTlsOutcome.Refused.class, run.finish().outcome());
        assertEquals(Reason.TLS_FAILED, refused.error().reason());
        assertTrue(refused.error().alert().isPresent(), "the TLS alert is named: " + refused.error());
        assertNotNull(peer.tlsFailure, "the alert reached the peer in an EAP-Request before the Failure (RFC 5216 §2.1.3)");
        assertEquals(List.of(), refused.clientChain());
        assertEquals(List.of(), policy.seen, "no chain, no policy call");
    }

    @Test
    void tls12OnlyServerNegotiatesTls12WithATls13CapablePeer() throws Exception {
        EapTlsServer server = EapTlsServer.create(CONTEXT, TlsServerContext.TLS_1_2_ONLY,
                new RecordingPolicy(EapTlsPolicy.Verdict.accept()), 1400);
        EapTlsPeer peer = new EapTlsPeer("TLSv1.2", EapTestPki.clientKeyManagers(), 1400);
        peer.engine.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        Run run = pump(server, peer, 0, 1400);
        EapTlsOutcome.Accepted accepted = assertInstanceOf(EapTlsOutcome.Accepted.class, run.finish().outcome());
        assertEquals("TLSv1.2", accepted.tlsProtocol());
        assertArrayEquals(Arrays.copyOf(peer.keyMaterial(), 64), accepted.keys().msk());
    }

    @Test
    void staleMalformedAndMisdirectedPacketsAreDiscardedAndTheConversationGoesOn() throws Exception {
        EapTlsServer server = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS,
                new RecordingPolicy(EapTlsPolicy.Verdict.accept()), 1400);
        EapTlsPeer peer = new EapTlsPeer("TLSv1.2", EapTestPki.clientKeyManagers(), 1400);
        assertEquals(Reason.UNEXPECTED_PACKET, discarded(server.receive(ack(5))), "before start");
        byte[] start = server.start(5);
        byte[] clientHello = peer.respond(start);

        byte[] wrongId = clientHello.clone();
        wrongId[1] = 4;
        assertEquals(Reason.UNEXPECTED_PACKET, discarded(server.receive(wrongId)));
        byte[] asRequest = clientHello.clone();
        asRequest[0] = EapPacket.REQUEST;
        assertEquals(Reason.UNEXPECTED_PACKET, discarded(server.receive(asRequest)));
        assertEquals(Reason.MALFORMED_PACKET, discarded(server.receive(Arrays.copyOf(clientHello, 3))));
        assertEquals(Reason.MALFORMED_PACKET, discarded(server.receive(Arrays.copyOf(clientHello, clientHello.length - 1))),
                "Length longer than the bytes");
        assertArrayEquals(start, server.outstandingRequest().orElseThrow(), "a discard changes nothing");

        // Padding after the Length field is ignored (RFC 3748 §4.1).
        byte[] padded = Arrays.copyOf(clientHello, clientHello.length + 3);
        EapTlsStep step = server.receive(padded);
        byte[] flight = assertInstanceOf(EapTlsStep.Send.class, step).packet();
        // The same Response again is stale now.
        assertEquals(Reason.UNEXPECTED_PACKET, discarded(server.receive(clientHello)));
        assertEquals(6, EapPacket.parse(flight).identifier());
    }

    @Test
    void aNakEndsInFailure() throws Exception {
        EapTlsServer server = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS,
                new RecordingPolicy(EapTlsPolicy.Verdict.accept()), 1400);
        server.start(9);
        byte[] nak = new EapPacket(EapPacket.RESPONSE, 9, EapPacket.TYPE_NAK, new byte[] {26}).encode();
        EapTlsStep.Finish finish = assertInstanceOf(EapTlsStep.Finish.class, server.receive(nak));
        assertArrayEquals(new byte[] {EapPacket.FAILURE, 9, 0, 4}, finish.packet());
        assertEquals(Reason.PEER_NAK, ((EapTlsOutcome.Refused) finish.outcome()).error().reason());
        assertEquals(Reason.UNEXPECTED_PACKET, discarded(server.receive(nak)), "after the end");
        assertThrows(IllegalStateException.class, () -> server.start(1));
    }

    @Test
    void anOversizedMessageEndsInFailure() throws Exception {
        EapTlsServer server = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS,
                new RecordingPolicy(EapTlsPolicy.Verdict.accept()), 1400);
        server.start(0);
        byte[] huge = response(0, new EapTlsFragment(EapTlsFragment.L | EapTlsFragment.M,
                EapTlsFragment.MAX_TLS_MESSAGE_LENGTH + 1L, new byte[10]));
        assertEquals(Reason.MESSAGE_TOO_LONG, refused(server.receive(huge)));

        // More bytes than the L field announced.
        EapTlsServer second = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS,
                new RecordingPolicy(EapTlsPolicy.Verdict.accept()), 1400);
        second.start(0);
        EapTlsStep ackRequest = second.receive(response(0, new EapTlsFragment(EapTlsFragment.L | EapTlsFragment.M, 12, new byte[10])));
        EapPacket ackPacket = EapPacket.parse(assertInstanceOf(EapTlsStep.Send.class, ackRequest).packet());
        assertEquals(EapTlsFragment.ack(), EapTlsFragment.parse(ackPacket.typeData()), "the server acknowledges a fragment");
        assertEquals(Reason.MESSAGE_TOO_LONG, refused(second.receive(response(1, new EapTlsFragment(0, EapTlsFragment.NO_LENGTH,
                new byte[3])))));
    }

    @Test
    void framingViolationsEndInFailure() throws Exception {
        // Data where the acknowledgement of the server's fragment was due.
        EapTlsServer server = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS,
                new RecordingPolicy(EapTlsPolicy.Verdict.accept()), 64);
        EapTlsPeer peer = new EapTlsPeer("TLSv1.2", EapTestPki.clientKeyManagers(), 1400);
        byte[] clientHello = peer.respond(server.start(0));
        EapTlsStep.Send first = assertInstanceOf(EapTlsStep.Send.class, server.receive(clientHello));
        assertEquals(EapTlsFragment.L | EapTlsFragment.M, EapTlsFragment.parse(EapPacket.parse(first.packet()).typeData()).flags());
        assertEquals(Reason.PROTOCOL_VIOLATION, refused(server.receive(response(1, new EapTlsFragment(0,
                EapTlsFragment.NO_LENGTH, new byte[] {0x16})))));

        // S in a Response; an empty fragment with M; an empty Response mid-handshake; a different EAP type.
        for (EapTlsFragment bad : List.of(EapTlsFragment.start(), new EapTlsFragment(EapTlsFragment.M, EapTlsFragment.NO_LENGTH,
                new byte[0]), EapTlsFragment.ack())) {
            EapTlsServer s = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS, new RecordingPolicy(EapTlsPolicy.Verdict.accept()), 64);
            s.start(0);
            assertEquals(Reason.PROTOCOL_VIOLATION, refused(s.receive(response(0, bad))), bad.toString());
        }
        EapTlsServer s = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS, new RecordingPolicy(EapTlsPolicy.Verdict.accept()), 64);
        s.start(0);
        assertEquals(Reason.UNEXPECTED_TYPE, refused(s.receive(new EapPacket(EapPacket.RESPONSE, 0, EapPacket.TYPE_IDENTITY,
                "alice".getBytes(java.nio.charset.StandardCharsets.UTF_8)).encode())));
    }

    @Test
    void garbageTlsEndsInFailureWithTheTlsError() throws Exception {
        EapTlsServer server = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS,
                new RecordingPolicy(EapTlsPolicy.Verdict.accept()), 1400);
        server.start(0);
        EapTlsStep step = server.receive(response(0, new EapTlsFragment(0, EapTlsFragment.NO_LENGTH,
                "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        if (step instanceof EapTlsStep.Send alert) {
            // JSSE wrote an alert: it goes out first, and the peer's answer gets the Failure.
            step = server.receive(response(EapPacket.parse(alert.packet()).identifier(), EapTlsFragment.ack()));
        }
        assertEquals(Reason.TLS_FAILED, refused(step));
    }

    @Test
    void packetSizeBounds() {
        assertThrows(IllegalArgumentException.class, () -> EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS,
                c -> EapTlsPolicy.Verdict.accept(), EapTlsServer.MIN_PACKET_LENGTH - 1));
    }

    static byte[] response(int id, EapTlsFragment f) {
        return new EapPacket(EapPacket.RESPONSE, id, EapPacket.TYPE_TLS, f.encode()).encode();
    }

    static byte[] ack(int id) {
        return response(id, EapTlsFragment.ack());
    }

    static Reason discarded(EapTlsStep step) {
        EapTlsStep.Discard d = assertInstanceOf(EapTlsStep.Discard.class, step);
        assertEquals(EapError.NO_ANSWER, d.error().eapCode());
        return d.error().reason();
    }

    static Reason refused(EapTlsStep step) throws Exception {
        EapTlsStep.Finish f = assertInstanceOf(EapTlsStep.Finish.class, step);
        assertEquals(EapPacket.FAILURE, EapPacket.parse(f.packet()).code());
        return assertInstanceOf(EapTlsOutcome.Refused.class, f.outcome()).error().reason();
    }
}
