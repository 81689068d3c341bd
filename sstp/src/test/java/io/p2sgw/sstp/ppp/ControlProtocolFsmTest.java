package io.p2sgw.sstp.ppp;

import static io.p2sgw.testkit.bytes.Hex.bytes;
import static io.p2sgw.testkit.bytes.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RFC 1661 automaton with the LCP and IPCP policies, packet by packet (hex without the PPP header). */
class ControlProtocolFsmTest {
    final List<String> out = new ArrayList<>();
    final ControlProtocolFsm.Output output = new ControlProtocolFsm.Output() {
        @Override
        public void send(CpPacket packet) {
            out.add(hex(packet.encode()));
        }

        @Override
        public void up() {
            out.add("up");
        }

        @Override
        public void down() {
            out.add("down");
        }

        @Override
        public void finished(String reason) {
            out.add("finished " + reason);
        }
    };
    LcpPolicy lcpPolicy;
    ControlProtocolFsm lcp;

    @BeforeEach
    void setUp() {
        int[] magic = {0x0A0B0C0D};
        lcpPolicy = new LcpPolicy(1500, () -> magic[0]++);
        lcp = new ControlProtocolFsm("LCP", lcpPolicy, output, 1);
    }

    void in(ControlProtocolFsm fsm, String hex, long now) {
        byte[] b = bytes(hex);
        fsm.receive(CpPacket.parse(b, 0, b.length), now);
    }

    List<String> take() {
        List<String> r = List.copyOf(out);
        out.clear();
        return r;
    }

    @Test
    void maxConfigureThenFinished() {
        lcp.open(0);
        for (int i = 1; i < ControlProtocolFsm.MAX_CONFIGURE; i++) {
            lcp.tick(i * ControlProtocolFsm.RESTART_MILLIS - 1);
            lcp.tick(i * ControlProtocolFsm.RESTART_MILLIS);
        }
        assertEquals(ControlProtocolFsm.MAX_CONFIGURE, take().size());
        lcp.tick(ControlProtocolFsm.MAX_CONFIGURE * ControlProtocolFsm.RESTART_MILLIS);
        assertEquals(List.of("finished LCP: no agreement after 10 Configure-Requests"), take());
        assertEquals(ControlProtocolFsm.State.FINISHED, lcp.state());
    }

    @Test
    void peerOptionsJudged() {
        lcp.open(0);
        take();
        // MRU out of range: NAK with the nearest bound; Auth-Protocol: REJECT (we do not authenticate to the peer).
        in(lcp, "01010008 01040040", 1);
        assertEquals(List.of("03010008" + "01040080"), take());
        in(lcp, "01020008 01041100", 2);
        assertEquals(List.of("03020008" + "01040ff7"), take());
        in(lcp, "0103000c 01040578 0304c227", 3);
        assertEquals(List.of("04030008" + "0304c227"), take());
        // Our own magic number back: a loop (or an echoing pty); NAK with another.
        in(lcp, "0104000a 05060a0b0c0d", 4);
        assertEquals(List.of("0304000a" + "05060a0b0c0e"), take());
        // Callback, MRRU, endpoint discriminator (Windows): REJECTed together.
        in(lcp, "01050011 0d0306 110405f4 1306 0100000000", 5);
        assertEquals(List.of("04050011" + "0d0306110405f4130601000000"), take()); // the last input byte was padding
        in(lcp, "0106000e 01040578 05060a0b0c0f", 6);
        assertEquals(List.of("0206000e" + "01040578" + "05060a0b0c0f"), take());
        assertEquals(1400, lcpPolicy.peerMru());
    }

    @Test
    void peerNaksOurMruAndRejectsMagic() {
        lcp.open(0);
        assertEquals(List.of("01010012" + "010405dc" + "0304c227" + "05060a0b0c0d"), take());
        in(lcp, "03010008 01040578", 1);
        assertEquals(List.of("01020012" + "01040578" + "0304c227" + "05060a0b0c0d"), take());
        in(lcp, "0402000a 05060a0b0c0d", 2);
        assertEquals(List.of("0103000c" + "01040578" + "0304c227"), take());
        assertEquals(0, lcpPolicy.ourMagic());
        // An Ack with another Identifier or other options is discarded (RFC 1661 §5.2).
        in(lcp, "0202000c 01040578 0304c227", 3);
        in(lcp, "0203000c 01040579 0304c227", 3);
        assertEquals(ControlProtocolFsm.State.REQ_SENT, lcp.state());
        in(lcp, "0203000c 01040578 0304c227", 3);
        assertEquals(ControlProtocolFsm.State.ACK_RCVD, lcp.state());
        in(lcp, "01070004", 4);
        assertEquals(List.of("02070004", "up"), take());
    }

    @Test
    void peerRefusingEapEndsLcp() {
        lcp.open(0);
        take();
        in(lcp, "03010008 0304c023", 1);
        assertEquals(List.of("05020004"), take());
        assertEquals(ControlProtocolFsm.State.CLOSING, lcp.state());
        in(lcp, "06020004", 2);
        assertEquals(List.of("finished LCP: peer refuses EAP and suggests auth protocol 0xc023"), take());
    }

    @Test
    void maxFailureTurnsNaksIntoRejects() {
        lcp.open(0);
        take();
        for (int i = 1; i <= ControlProtocolFsm.MAX_FAILURE; i++) {
            in(lcp, "01" + String.format("%02x", i) + "0008 01040040", i);
            assertEquals("03", take().getFirst().substring(0, 2));
        }
        in(lcp, "01200008 01040040", 9);
        assertEquals(List.of("04200008" + "01040080"), take());
    }

    @Test
    void ipcpWithoutDnsRejectsDnsAndHintsTheAddress() {
        ControlProtocolFsm ipcp = new ControlProtocolFsm("IPCP", new IpcpPolicy(0xAC10C901, 0xAC10C90A, 0, 0),
                output, 1);
        ipcp.open(0);
        assertEquals(List.of("0101000a" + "0306ac10c901"), take());
        in(ipcp, "01010010 810600000000 830600000000", 1);
        assertEquals(List.of("04010010" + "810600000000" + "830600000000"), take());
        in(ipcp, "01020004", 2);
        assertEquals(List.of("0302000a" + "0306ac10c90a"), take());
        // A peer that NAKs our own address gets the same request again; one that rejects it, none.
        in(ipcp, "0301000a 030600000000", 3);
        assertEquals(List.of("0102000a" + "0306ac10c901"), take());
        in(ipcp, "0402000a 0306ac10c901", 4);
        assertEquals(List.of("01030004"), take());
        in(ipcp, "02030004", 5);
        in(ipcp, "0103000a 0306ac10c90a", 6);
        assertEquals(List.of("0203000a" + "0306ac10c90a", "up"), take());
    }

    @Test
    void terminateRequestFromThePeerWhileOpened() {
        lcp.open(0);
        in(lcp, "01010004", 1);
        in(lcp, "02010012 010405dc0304c22705060a0b0c0d", 2);
        take();
        in(lcp, "05090004", 3);
        assertEquals(List.of("06090004", "down", "finished LCP: peer sent Terminate-Request"), take());
    }

    @Test
    void catastrophicCodeReject() {
        lcp.open(0);
        take();
        in(lcp, "07050008 01010004", 1);
        assertEquals(List.of("finished LCP: peer rejected code 1"), take());
    }
}
