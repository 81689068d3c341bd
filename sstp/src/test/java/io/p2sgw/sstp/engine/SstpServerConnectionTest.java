package io.p2sgw.sstp.engine;

import io.p2sgw.sstp.ppp.IpcpLease;
import static io.p2sgw.testkit.bytes.Hex.bytes;
import static io.p2sgw.testkit.bytes.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.sstp.binding.CompoundMac;
import io.p2sgw.sstp.binding.HashProtocol;
import io.p2sgw.sstp.binding.HlakLayout;
import io.p2sgw.sstp.binding.ServerCertificateHashes;
import io.p2sgw.sstp.ppp.FakeEapMethod;
import io.p2sgw.sstp.ppp.FixedRandom;
import io.p2sgw.sstp.ppp.PppSettings;
import io.p2sgw.sstp.wire.ControlMessage;
import io.p2sgw.sstp.wire.CryptoBindingAttribute;
import io.p2sgw.sstp.wire.MessageType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole SSTP call against a scripted client (what sstpc + pppd send, sstp.md §0), byte by byte, then the teardown
 * and failure paths with their MS-SSTP status codes.
 */
class SstpServerConnectionTest {
    static final String PREAMBLE = "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n"
            + "Host: 198.51.100.1\r\nContent-Length: 18446744073709551615\r\n"
            + "SSTPCORRELATIONID: 0c38434f-aa00-4c52-b666-ad665d1844b2\r\n\r\n";
    static final String CONNECT_REQUEST = "1001000e00010001000100060001";
    static final String NONCE = "0101010101010101010101010101010101010101010101010101010101010101";
    static final byte[] CERT_DER = {0x30, 0x03, 0x02, 0x01, 0x07};
    static final byte[] MSK = new byte[64];

    static {
        for (int i = 0; i < MSK.length; i++) {
            MSK[i] = (byte) (0x40 + i);
        }
    }

    /** The sstp tests' one fake EAP method: Start, then success with {@link #MSK}; fails if the client sends FF. */
    static FakeEapMethod method() {
        FakeEapMethod m = new FakeEapMethod();
        m.msk = MSK;
        m.subject = "CN=alice";
        m.refusal = "untrusted root";
        return m;
    }

    final List<String> sent = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    SstpServerConnection c;
    final SstpServerConnection.Host host = new SstpServerConnection.Host() {
        @Override
        public void send(byte[] bytes) {
            sent.add(bytes.length > 4 && bytes[0] == 'H' ? new String(bytes, StandardCharsets.US_ASCII) : hex(bytes));
        }

        @Override
        public Optional<IpcpLease> leaseAddress() {
            return Optional.of(IpcpLease.of(0xAC10C90A));
        }

        @Override
        public void established(SstpSessionFacts facts) {
            events.add("established " + facts);
        }

        @Override
        public void ipv4(byte[] buf, int off, int len) {
            events.add("ip " + hex(Arrays.copyOfRange(buf, off, off + len)));
        }

        @Override
        public void closed(String reason) {
            events.add("closed " + reason);
        }
    };

    @BeforeEach
    void setUp() {
        c = new SstpServerConnection(SstpSettings.defaults(PppSettings.defaults(0xAC10C901, 0x0A010002, 0)),
                ServerCertificateHashes.of(CERT_DER), method(), host, new FixedRandom(), 0);
    }

    void in(String hex, long now) {
        byte[] b = bytes(hex);
        c.receive(b, 0, b.length, now);
    }

    /** A PPP frame in an SSTP data packet. */
    static String data(String pppHex) {
        String f = pppHex.replace(" ", "");
        return String.format("1000%04x", 4 + f.length() / 2) + f;
    }

    List<String> take() {
        List<String> r = List.copyOf(sent);
        sent.clear();
        return r;
    }

    /** Preamble and CONNECT_REQUEST in one TLS record, as sstpc's first writes can arrive. */
    void connect() {
        byte[] p = PREAMBLE.getBytes(StandardCharsets.US_ASCII);
        byte[] r = bytes(CONNECT_REQUEST);
        byte[] both = Arrays.copyOf(p, p.length + r.length);
        System.arraycopy(r, 0, both, p.length, r.length);
        c.receive(both, 0, both.length, 0);
        List<String> out = take();
        assertTrue(out.get(0).startsWith("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n"), out.get(0));
        assertEquals("10010030" + "0002" + "0001" + "00040028" + "00000003" + NONCE, out.get(1));
        assertEquals(SstpServerConnection.State.CALL_CONNECTED_PENDING, c.state());
    }

    /** LCP both ways (pppd style), Identity and the method round; EAP-Success and our IPCP request come out. */
    void authenticate() {
        c.tick(1000);
        assertEquals(List.of(data("ff03c021 01010012 010405dc 0304c227 05060a0b0c0d")), take());
        in(data("ff03c021 01010010 020600000000 050611223344"), 1010);
        in(data("ff03c021 02010012 010405dc0304c22705060a0b0c0d"), 1020);
        assertEquals(List.of(data("ff03c021 02010010 020600000000 050611223344"), data("ff03c227 0101000501")),
                take());
        in(data("ff03c227 0201000a01 616c696365"), 1030);
        assertEquals(List.of(data("ff03c227 010200060d20")), take());
    }

    void finishEap() {
        in(data("ff03c227 020200060d00"), 1040);
        assertEquals(List.of(data("ff03c227 03020004"), data("ff038021 0101000a 0306ac10c901")), take());
    }

    void ipcp() {
        in(data("ff038021 0101000a 030600000000"), 1060);
        assertEquals(List.of(data("ff038021 0301000a 0306ac10c90a")), take());
        in(data("ff038021 0102000a 0306ac10c90a"), 1070);
        in(data("ff038021 0201000a 0306ac10c901"), 1080);
        assertEquals(List.of(data("ff038021 0202000a 0306ac10c90a")), take());
    }

    /** The client's CALL_CONNECTED: nonce, our certificate's SHA-256, MAC with the HLAK layout given. */
    static String callConnected(HlakLayout layout, byte[] nonce) {
        byte[] certHash = HashProtocol.SHA256.digest(CERT_DER);
        byte[] unsigned = new ControlMessage(MessageType.CALL_CONNECTED, List.of(new CryptoBindingAttribute(
                HashProtocol.SHA256.code(), nonce, certHash, new byte[32]).toAttribute())).encode();
        byte[] mac = CompoundMac.compute(HashProtocol.SHA256, layout.hlak(MSK), unsigned);
        return hex(new ControlMessage(MessageType.CALL_CONNECTED, List.of(new CryptoBindingAttribute(
                HashProtocol.SHA256.code(), nonce, certHash, mac).toAttribute())).encode());
    }

    @Test
    void wholeCallLikeSstpcWithPppd249() {
        connect();
        authenticate();
        in(data("ff030021 45000014"), 1035);
        finishEap();
        in(callConnected(HlakLayout.MSK_PPPD_249, bytes(NONCE)), 1050);
        assertEquals(SstpServerConnection.State.CALL_CONNECTED, c.state());
        ipcp();
        assertEquals(List.of("established SstpSessionFacts[correlationId=0c38434f-aa00-4c52-b666-ad665d1844b2, "
                + "identity=alice, subject=CN=alice, clientAddress=-1408186102, hash=SHA256, layout=MSK_PPPD_249]"),
                events);

        // IPv4 from the client goes up (the one sent before CALL_CONNECTED was dropped); to the client, framed in place.
        in(data("ff030021 4500001c"), 1090);
        assertEquals("ip 4500001c", events.getLast());
        byte[] buf = new byte[8 + 4];
        System.arraycopy(bytes("45000014"), 0, buf, 8, 4);
        assertEquals(0, c.frameIpv4(buf, 8, 4));
        assertEquals("1000000c" + "ff030021" + "45000014", hex(buf));

        // Hello: silence for 60 s -> ECHO_REQUEST; an answer restarts; then silence for two periods -> closed.
        c.tick(61_089);
        assertEquals(List.of(), take());
        c.tick(61_090);
        assertEquals(List.of("1001000800080000"), take());
        in("1001000800090000", 70_000);
        c.tick(129_999);
        assertEquals(List.of(), take());
        c.tick(130_000);
        assertEquals(List.of("1001000800080000"), take());
        c.tick(190_000);
        assertEquals("closed no answer to ECHO_REQUEST", events.getLast());
        assertEquals(List.of(), take());
    }

    @Test
    void callConnectedBeforeEapSuccessIsVerifiedAtAuthentication() {
        connect();
        authenticate();
        in(callConnected(HlakLayout.MSK_FIRST_32, bytes(NONCE)), 1035);
        assertEquals(SstpServerConnection.State.CALL_CONNECTED_PENDING, c.state());
        finishEap();
        assertEquals(SstpServerConnection.State.CALL_CONNECTED, c.state());
        ipcp();
        assertTrue(events.getFirst().endsWith("layout=MSK_FIRST_32]"), events.toString());
    }

    @Test
    void badBindingAbortsWithCryptoBindingValueNotSupported() {
        connect();
        authenticate();
        finishEap();
        in(callConnected(HlakLayout.ZERO, bytes(NONCE)), 1050);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000003" + "00000004"), take());
        assertEquals(SstpServerConnection.State.ABORT_PENDING, c.state());
        // Nothing is answered while aborting; the client's ABORT starts the 1 s grace, then we close.
        in("1001000800080000", 1100);
        assertEquals(List.of(), take());
        in("10010014 0005 0001 0002000c 00000000 00000000", 1200);
        c.tick(2199);
        assertEquals(List.of(), events);
        c.tick(2200);
        assertEquals(List.of("closed crypto binding: SHA256 Compound MAC matches none of [MSK_FIRST_32, MSK_PPPD_249]"),
                events);
    }

    @Test
    void ipBeforeCallConnectedNeverReachesTheHost() {
        connect();
        authenticate();
        finishEap();
        ipcp();
        in(data("ff030021 4500001c"), 1100);
        assertEquals(List.of(), events);
        byte[] buf = new byte[12];
        assertEquals(-1, c.frameIpv4(buf, 8, 4));
    }

    @Test
    void refusedCertificateGetsEapFailureThenAbort() {
        connect();
        authenticate();
        in(data("ff03c227 020200060dff"), 1040);
        assertEquals(List.of(data("ff03c227 04020004"), data("ff03c021 05020004")), take());
        in(data("ff03c021 06020004"), 1050);
        // CALL_ABORT, one Status Info: AttribID STATUS_INFO (02), status ATTRIB_STATUS_VALUE_NOT_SUPPORTED (4).
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000004"), take());
        c.tick(4050);
        assertEquals(List.of("closed PPP: EAP: untrusted root"), events);
    }

    @Test
    void negotiationTimeouts() {
        connect();
        c.tick(59_999);
        take();
        assertEquals(SstpServerConnection.State.CALL_CONNECTED_PENDING, c.state());
        c.tick(60_000);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000008"), take());
        c.tick(63_000);
        assertEquals(List.of("closed no CALL_CONNECTED in time"), events);
    }

    @Test
    void connectRequestTimeoutAndPreambleTimeout() {
        in(hex(PREAMBLE.getBytes(StandardCharsets.US_ASCII)), 0);
        take();
        c.tick(60_000);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000008"), take());

        setUp();
        c.tick(60_000);
        assertEquals("closed no HTTPS preamble in time", events.getLast());
    }

    @Test
    void otherProtocolIsNakedThreeTimesThenAborted() {
        in(hex(PREAMBLE.getBytes(StandardCharsets.US_ASCII)), 0);
        take();
        for (int i = 0; i < 3; i++) {
            in("1001000e00010001000100060002", 10 + i);
            assertEquals(List.of("10010016" + "0003" + "0001" + "0002000e" + "00000001" + "00000004" + "0002"), take());
        }
        in("1001000e00010001000100060002", 20);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000006"), take());
    }

    @Test
    void notSstpGetsAnHttpErrorAndTheConnectionCloses() {
        in(hex("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), 0);
        assertEquals(List.of("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
                take());
        assertEquals(List.of("closed HTTP 405: method GET"), events);
    }

    @Test
    void framingLossClosesWithoutAWord() {
        connect();
        in("2001000800080000", 10);
        assertEquals(List.of(), take());
        assertEquals(List.of("closed SSTP framing lost (BAD_VERSION)"), events);
    }

    @Test
    void malformedControlMessageAbortsWithItsStatus() {
        connect();
        in("10010008000a0000", 10);
        // Message type 0x0A: INVALID_FRAME_RECEIVED (7) about the call, AttribID STATUS_INFO (02), not NO_ERROR.
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000007"), take());
    }

    @Test
    void secondConnectRequestIsUnaccepted() {
        connect();
        in(CONNECT_REQUEST, 10);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000005"), take());
    }

    @Test
    void echoWhileNegotiatingIsAnswered() {
        connect();
        in("1001000800080000", 10);
        assertEquals(List.of("1001000800090000"), take());
    }

    @Test
    void clientDisconnect() {
        connect();
        in("10010014 0006 0001 0002000c 00000000 00000000", 10);
        assertEquals(List.of("1001000800070000"), take());
        c.tick(1009);
        assertEquals(List.of(), events);
        c.tick(1010);
        assertEquals(List.of("closed client disconnected"), events);
    }

    @Test
    void serverDisconnectGoesThroughLcpThenSstp() {
        connect();
        authenticate();
        finishEap();
        in(callConnected(HlakLayout.MSK_FIRST_32, bytes(NONCE)), 1050);
        ipcp();
        c.disconnect("certificate revoked", 2000);
        assertEquals(List.of(data("ff03c021 05020004")), take());
        in(data("ff03c021 06020004"), 2010);
        assertEquals(List.of("10010014" + "0006" + "0001" + "0002000c" + "00000000" + "00000000"), take());
        in("1001000800070000", 2020);
        assertEquals("closed certificate revoked", events.getLast());
    }

    @Test
    void theHelloIntervalComesFromTheSettings() {
        c = new SstpServerConnection(SstpSettings.defaults(PppSettings.defaults(0xAC10C901, 0x0A010002, 0))
                .withHelloMillis(10_000), ServerCertificateHashes.of(CERT_DER), method(), host, new FixedRandom(), 0);
        connect();
        authenticate();
        finishEap();
        in(callConnected(HlakLayout.MSK_FIRST_32, bytes(NONCE)), 1050);
        ipcp();
        take();
        // Silence for 10 s, not 60: ECHO_REQUEST; another 10 s without an answer: dropped.
        c.tick(11_079);
        assertEquals(List.of(), take());
        c.tick(11_080);
        assertEquals(List.of("1001000800080000"), take());
        c.tick(21_080);
        assertEquals("closed no answer to ECHO_REQUEST", events.getLast());
        assertThrows(IllegalArgumentException.class,
                () -> SstpSettings.defaults(PppSettings.defaults(0, 0, 0)).withHelloMillis(0));
    }

    @Test
    void noDataEitherWayOnceAborted() {
        connect();
        authenticate();
        finishEap();
        in(callConnected(HlakLayout.MSK_FIRST_32, bytes(NONCE)), 1050);
        ipcp();
        byte[] buf = new byte[12];
        assertEquals(0, c.frameIpv4(buf, 8, 4));
        c.abort("certificate revoked", 2000);
        // [MS-SSTP] 2.2.13: AttribID STATUS_INFO (02), status ATTRIB_STATUS_VALUE_NOT_SUPPORTED (4), never 0/0.
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000004"), take());
        assertEquals(-1, c.frameIpv4(buf, 8, 4));
        in(data("ff030021 4500001c"), 2010);
        assertEquals(1, events.size(), events.toString());
        c.tick(5000);
        assertEquals("closed certificate revoked", events.getLast());
    }

    @Test
    void serverAbortIsImmediate() {
        connect();
        c.abort("root removed", 10);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000004"), take());
        c.transportClosed(20);
        assertEquals(List.of("closed root removed"), events);
    }

    @Test
    void anAbortWithAStatusACallAbortMayNotCarryIsABug() {
        connect();
        assertThrows(IllegalArgumentException.class,
                () -> c.abort(io.p2sgw.sstp.wire.SstpStatus.NO_ERROR, "revoked", 10));
        assertThrows(IllegalArgumentException.class,
                () -> c.abort(io.p2sgw.sstp.wire.SstpStatus.REQUIRED_ATTRIBUTE_MISSING, "revoked", 10));
        assertEquals(List.of(), take());
        c.abort(io.p2sgw.sstp.wire.SstpStatus.NEGOTIATION_TIMEOUT, "too slow", 10);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000008"), take());
    }

    @Test
    void theClientsAbortIsAnsweredWithAValidAbort() {
        connect();
        // sstpc-style CALL_ABORT with Status Info 0/0: our answer may not echo it (2.2.13), so STATUS_INFO /
        // ATTRIB_STATUS_UNACCEPTED_FRAME_RECEIVED (5).
        in("10010014 0005 0001 0002000c 00000000 00000000", 10);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000005"), take());
        c.tick(1010);
        assertTrue(events.getLast().startsWith("closed client aborted the call"), events.toString());
    }

    @Test
    void aValidClientAbortIsEchoed() {
        connect();
        in("10010014 0005 0001 0002000c 00000003 00000004", 10);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000003" + "00000004"), take());
    }

    @Test
    void anUnknownAttributeAbortsWithAttribNotSupportedInMsg() {
        // CALL_CONNECT_REQUEST whose one attribute has id 7: the parser says NO_ERROR / UNRECOGNIZED_ATTRIBUTE (2),
        // which only a NAK may carry; the abort says STATUS_INFO / ATTRIB_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG (9).
        in(hex(PREAMBLE.getBytes(StandardCharsets.US_ASCII)), 0);
        take();
        in("1001000e 0001 0001 00070006 0001", 10);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000002" + "00000009"), take());
    }

    @Test
    void aCryptoBindingOfTheWrongLengthAbortsWithAValidStatus() {
        connect();
        authenticate();
        finishEap();
        // CALL_CONNECTED whose CRYPTO_BINDING holds 4 bytes: INVALID_ATTRIB_VALUE_LENGTH (3) is a NAK status, so the
        // abort names the attribute (03) with ATTRIB_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG (9).
        in("10010010 0004 0001 00030008 00000002", 1050);
        assertEquals(List.of("10010014" + "0005" + "0001" + "0002000c" + "00000003" + "00000009"), take());
    }
}
