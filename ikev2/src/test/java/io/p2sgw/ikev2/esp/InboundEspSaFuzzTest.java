package io.p2sgw.ikev2.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer target for the inbound ESP parser. Byte 0 picks the suite; byte 1 bit 0 picks the mode:
 * <ul>
 *   <li>raw: the rest is the packet as it came off UDP 4500 (lengths, SPI, sequence number, ICV checks);</li>
 *   <li>authentic: bytes 2..5 are the sequence number and the rest is the plaintext, trailer included, sealed with a
 *       valid ICV by the reference encoder (for AES-CBC, up to its last whole block), so what comes after verification (padding, Next Header, the inner IPv4
 *       header and TFC padding) sees arbitrary bytes.</li>
 * </ul>
 * Whatever the bytes, open must not throw, and what it returns must lie inside the packet and be an IPv4 packet of
 * that Total Length. Seeds in {@code src/test/resources/io/p2sgw/ikev2/esp/InboundEspSaFuzzTestInputs/}.
 */
class InboundEspSaFuzzTest {
    private static final EspSuite[] SUITES = EspSuite.values();

    @FuzzTest
    void open(byte[] data) {
        if (data.length < 2) {
            return;
        }
        EspSuite suite = SUITES[(data[0] & 0xFF) % SUITES.length];
        InboundEspSa in = suite.inbound(64);
        byte[] packet;
        if ((data[1] & 1) == 0) {
            packet = Arrays.copyOfRange(data, 2, data.length);
        } else {
            if (data.length < 6) {
                return;
            }
            long seq = InboundEspSa.u32(data, 2) & 0xFFFF_FFFFL;
            // AES-CBC encrypts whole blocks only: the sender would have padded; drop the rest of the last block.
            int plain = data.length - 6;
            plain -= suite.encryption.isAead() ? 0 : plain % 16;
            packet = suite.referenceSeal(EspSuite.SPI, seq, Arrays.copyOfRange(data, 6, 6 + plain));
        }
        int result;
        try {
            result = in.open(packet, 0, packet.length);
        } catch (RuntimeException e) {
            throw new AssertionError("open threw " + e, e);
        }
        if (result == InboundEspSa.DROPPED || result == InboundEspSa.NO_PAYLOAD) {
            assertTrue(in.lastDrop() != null);
            return;
        }
        int start = in.payloadOffset();
        assertTrue(result >= 20 && start + result <= packet.length, "inner packet outside the packet");
        assertEquals(0x40, packet[start] & 0xF0);
        assertEquals(result, (packet[start + 2] & 0xFF) << 8 | packet[start + 3] & 0xFF);
        assertEquals(1, in.counters().packets());
    }
}
