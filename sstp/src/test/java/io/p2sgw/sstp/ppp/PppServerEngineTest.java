package io.p2sgw.sstp.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.testkit.bytes.Hex;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PPP server engine against a scripted client, byte by byte: what pppd 2.4.9 sends (ACCM, Magic, PFC, ACFC; IPCP
 * with 0.0.0.0, DNS and VJ), and the failure paths. Frames are hex: {@code ff03} + protocol + packet.
 */
class PppServerEngineTest {
    static final String OUR_LCP_REQ = "ff03c021" + "01010012" + "010405dc" + "0304c227" + "05060a0b0c0d";
    static final String OUR_LCP_OPTIONS = "010405dc0304c22705060a0b0c0d";
    static final int SERVER = 0xAC10C901;
    static final int DNS1 = 0x0A010002;
    static final int DNS2 = 0x0A010003;

    RecordingHost host;
    FakeEapMethod method;
    PppServerEngine engine;

    @BeforeEach
    void setUp() {
        host = new RecordingHost();
        method = new FakeEapMethod();
        engine = new PppServerEngine(PppSettings.defaults(SERVER, DNS1, DNS2), method, host, new FixedRandom());
        engine.start(0);
    }

    void in(String hex, long now) {
        byte[] b = Hex.bytes(hex);
        engine.receive(b, 0, b.length, now);
    }

    @Test
    void firstConfigureRequestWaitsForTheClientOrOneSecond() {
        engine.tick(999);
        assertEquals(List.of(), host.take());
        engine.tick(1000);
        assertEquals(List.of(OUR_LCP_REQ), host.take());
    }

    @Test
    void theClientsFirstLcpFrameStartsLcpAtOnce() {
        in("ff03c021 01010010 020600000000 050611223344", 10);
        assertEquals(List.of(OUR_LCP_REQ, "ff03c021" + "02010010" + "020600000000" + "050611223344"), host.take());
    }

    @Test
    void ourOwnConfigureRequestEchoedByThePtyIsIgnored() {
        engine.tick(1000);
        assertEquals(List.of(OUR_LCP_REQ), host.take());
        // sstpc's pty hands our frame back before pppd reads it: no Configure-Reject of our own Auth-Protocol.
        in(OUR_LCP_REQ, 1100);
        assertEquals(List.of(), host.take());
        // pppd's own request then proceeds as usual.
        in("ff03c021 01010010 020600000000 050611223344", 1200);
        assertEquals(List.of("ff03c021" + "02010010" + "020600000000" + "050611223344"), host.take());
    }

    @Test
    void wholeSessionLikePppd() {
        establishLcp();
        // EAP: Identity, then the method (Start, one response), then Success with the Response's Identifier.
        assertEquals(List.of("ff03c227" + "0101000501"), host.take());
        in("ff03c227 0201000a01 616c696365", 100);
        assertEquals(List.of("ff03c227" + "010200060d20"), host.take());
        in("ff03c227 020200060d00", 110);
        assertEquals(List.of("ff03c227" + "03020004", "ff038021" + "0101000a" + "0306ac10c901"), host.take());
        assertEquals(List.of("start alice 1495", "receive 00"), method.calls);
        assertEquals(List.of("authenticated alice CN=alice thumbprint 1234 msk c0c1c2c3", "lease"), host.events);
        assertEquals(PppServerEngine.Phase.NETWORK, engine.phase());

        // IPCP: VJ rejected first, then 0.0.0.0 and the DNS options NAKed with our values, then ACKed.
        in("ff038021 0101001c 0206002d0f01 030600000000 810600000000 830600000000", 120);
        assertEquals(List.of("ff038021" + "0401000a" + "0206002d0f01"), host.take());
        in("ff038021 01020016 030600000000 810600000000 830600000000", 130);
        assertEquals(List.of("ff038021" + "03020016" + "0306ac10c90a" + "81060a010002" + "83060a010003"), host.take());
        in("ff038021 01030016 0306ac10c90a 81060a010002 83060a010003", 140);
        assertEquals(List.of("ff038021" + "02030016" + "0306ac10c90a" + "81060a010002" + "83060a010003"), host.take());
        in("ff038021 0201000a 0306ac10c901", 150);
        assertEquals("up ac10c90a", host.events.getLast());

        // Data both forms (FF 03 + 2-byte protocol; compressed), then CCP is Protocol-Rejected, echo answered.
        in("ff030021 4500001c", 160);
        in("21 45000014", 161);
        assertEquals(List.of("ip 4500001c", "ip 45000014"), host.events.subList(host.events.size() - 2, host.events.size()));
        in("ff0380fd 01010004", 170);
        in("ff038057 01010004", 171);
        in("ff03c021 09070008 11223344", 180);
        assertEquals(List.of("ff03c021" + "0801000a" + "80fd01010004", "ff03c021" + "0802000a" + "805701010004",
                "ff03c021" + "0a070008" + "0a0b0c0d"), host.take());

        // pppd hangs up: Terminate-Request -> Terminate-Ack, link down.
        in("ff03c021 05080004", 190);
        assertEquals(List.of("ff03c021" + "06080004"), host.take());
        assertEquals("down LCP: peer sent Terminate-Request", host.events.getLast());
        assertEquals(PppServerEngine.Phase.DEAD, engine.phase());
        in("ff030021 4500001c", 200);
        assertEquals("down LCP: peer sent Terminate-Request", host.events.getLast());
    }

    @Test
    void ipBeforeIpcpIsDroppedAndNcpsBeforeAuthAreDiscarded() {
        in("ff030021 4500001c", 1);
        in("ff038021 01010004", 2);
        establishLcp();
        host.take();
        in("ff030021 4500001c", 3);
        in("ff038021 0101000a 030600000000", 4);
        assertEquals(List.of(), host.take());
        assertTrue(host.events.isEmpty());
    }

    @Test
    void methodFailureSendsEapFailureThenTerminates() {
        establishLcp();
        host.take();
        in("ff03c227 0201000a01 616c696365", 100);
        assertEquals(List.of("ff03c227" + "010200060d20"), host.take());
        in("ff03c227 020200060dff", 110);
        assertEquals(List.of("ff03c227" + "04020004", "ff03c021" + "05020004"), host.take());
        in("ff03c021 06020004", 120);
        assertEquals("down EAP: certificate refused by policy", host.events.getLast());
    }

    @Test
    void legacyNakToTheMethodFails() {
        establishLcp();
        host.take();
        in("ff03c227 0201000a01 616c696365", 100);
        host.take();
        in("ff03c227 02020006031a", 110);
        assertEquals("ff03c227" + "04020004", host.take().getFirst());
        engine.tick(3_110);
        engine.tick(6_110);
        assertEquals("down EAP: peer cannot do EAP type 13 (Legacy Nak)", host.events.getLast());
    }

    @Test
    void eapResponsesWithAnotherIdentifierAreIgnoredAndRequestsRetransmitted() {
        establishLcp();
        assertEquals(List.of("ff03c227" + "0101000501"), host.take());
        in("ff03c227 0207000a01 616c696365", 100);
        assertEquals(List.of(), host.take());
        // The Identity Request went out with LCP's Opened at 1030.
        for (int i = 1; i < 5; i++) {
            engine.tick(1030 + i * 3_000L);
            assertEquals(List.of("ff03c227" + "0101000501"), host.take(), "retransmission " + i);
        }
        engine.tick(1030 + 5 * 3_000L);
        assertEquals(List.of("ff03c021" + "05020004"), host.take());
        engine.tick(1030 + 6 * 3_000L);
        assertEquals(List.of("ff03c021" + "05030004"), host.take());
        engine.tick(1030 + 7 * 3_000L);
        assertEquals("down EAP: no EAP response after 5 requests", host.events.getLast());
    }

    @Test
    void emptyPoolEndsTheLink() {
        host.lease = Optional.empty();
        establishLcp();
        in("ff03c227 0201000a01 616c696365", 100);
        in("ff03c227 020200060d00", 110);
        host.take();
        engine.tick(3_110);
        engine.tick(6_110);
        assertEquals("down no address left in the pool", host.events.getLast());
    }

    @Test
    void unknownLcpCodeIsCodeRejectedAndIdentificationIgnored() {
        establishLcp();
        host.take();
        in("ff03c021 0c05000c 0a0b0c0d 4d535241", 100);
        in("ff03c021 20050004", 101);
        assertEquals(List.of("ff03c021" + "07010008" + "20050004"), host.take());
    }

    @Test
    void closeByTheServer() {
        establishLcp();
        host.take();
        engine.close("revoked", 100);
        assertEquals(List.of("ff03c021" + "05020004"), host.take());
        in("ff03c021 06020004", 110);
        assertEquals("down revoked", host.events.getLast());
    }

    /** pppd's LCP: one Configure-Request with PFC/ACFC (rejected), then without, then it Acks ours. */
    private void establishLcp() {
        engine.tick(1000);
        assertEquals(List.of(OUR_LCP_REQ), host.take());
        in("ff03c021 01010014 020600000000 050611223344 0702 0802", 1010);
        assertEquals(List.of("ff03c021" + "04010008" + "0702" + "0802"), host.take());
        in("ff03c021 01020010 020600000000 050611223344", 1020);
        assertEquals(List.of("ff03c021" + "02020010" + "020600000000" + "050611223344"), host.take());
        in("ff03c021 02010012" + OUR_LCP_OPTIONS, 1030);
        assertEquals(PppServerEngine.Phase.AUTHENTICATE, engine.phase());
    }
}
