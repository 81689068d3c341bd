package io.p2sgw.openvpn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.openvpn.wire.ControlPacket;
import io.p2sgw.openvpn.wire.Opcode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReliabilityTest {
    private static ControlPacket msg(long id) {
        return new ControlPacket(Opcode.CONTROL_V1, 0, 1, List.of(), 0, id, new byte[] {(byte) id});
    }

    @Test
    void deliversInOrderAndAcksDuplicates() {
        Reliability r = new Reliability(2000);
        assertEquals(1, r.received(msg(0)).size());
        assertEquals(0, r.received(msg(2)).size(), "early packet is buffered");
        List<ControlPacket> ready = r.received(msg(1));
        assertEquals(List.of(1L, 2L), ready.stream().map(ControlPacket::messageId).toList());
        assertEquals(0, r.received(msg(1)).size(), "duplicate is not delivered again");
        assertEquals(List.of(0L, 2L, 1L), r.takeAcks(8), "but every packet is ACKed once in the list");
        assertEquals(0, r.received(msg(3 + Reliability.RECEIVE_WINDOW)).size());
        assertTrue(!r.hasPendingAcks(), "out-of-window packets are neither delivered nor ACKed");
    }

    @Test
    void sendWindowRetransmitAndAck() {
        Reliability r = new Reliability(2000);
        for (int i = 0; i < 8; i++) {
            r.queue(Opcode.CONTROL_V1, new byte[] {(byte) i});
        }
        assertEquals(Reliability.SEND_WINDOW, r.due(0).size(), "at most 6 in flight");
        assertEquals(0, r.due(1000).size());
        assertEquals(Reliability.SEND_WINDOW, r.due(2000).size(), "retransmitted after tls-timeout");
        assertEquals(0, r.due(5000).size(), "timeout doubled to 4 s");
        r.acknowledged(List.of(0L, 1L, 99L, 0L));
        List<Reliability.Outgoing> next = r.due(5000);
        assertEquals(List.of(6L, 7L), next.stream().map(o -> o.id).toList(), "window slides after ACKs");
        assertTrue(r.isAcked(0));
        assertTrue(!r.isAcked(7));
    }
}
