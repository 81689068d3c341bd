package io.p2sgw.ikev2.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sending half: sequence numbers from 1, the rekey signal and the refusal to wrap (RFC 4303 §3.3.3), unique IVs,
 * padding as strongSwan sends it (ikev2.md §6.1), sealing in place and from a direct buffer, and the overhead figures.
 */
class OutboundEspSaTest {

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void sequenceNumbersStartAtOneAndIvsNeverRepeat(EspSuite suite) {
        OutboundEspSa out = suite.outbound();
        assertEquals(0, out.sentSequence());
        Set<String> ivs = new HashSet<>();
        byte[] inner = EspSuite.ipv4(64, 1);
        for (int i = 1; i <= 500; i++) {
            byte[] packet = InboundEspSaTest.seal(out, inner);
            assertEquals(EspSuite.SPI, InboundEspSa.u32(packet, 0));
            assertEquals(i, InboundEspSa.u32(packet, 4));
            assertTrue(ivs.add(java.util.HexFormat.of().formatHex(packet, 8, 8 + suite.ivLength())), "IV repeated");
        }
        assertEquals(500, out.sentSequence());
        assertEquals(500, out.counters().packets());
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void signalsRekeyBeforeTheEndAndNeverWraps(EspSuite suite) {
        OutboundEspSa out = suite.outbound();
        InboundEspSa in = suite.inbound();
        byte[] inner = EspSuite.ipv4(40, 2);
        out.skipTo(OutboundEspSa.REKEY_THRESHOLD - 2);
        InboundEspSaTest.seal(out, inner);
        assertFalse(out.rekeyNeeded());
        InboundEspSaTest.seal(out, inner);
        assertTrue(out.rekeyNeeded());
        out.skipTo(OutboundEspSa.MAX_SEQUENCE - 1);
        byte[] last = InboundEspSaTest.seal(out, inner);
        assertEquals(0xFFFF_FFFF, InboundEspSa.u32(last, 4));
        assertEquals(40, InboundEspSaTest.open(in, last), "the last sequence number is valid on the wire");
        byte[] buf = new byte[200];
        assertEquals(OutboundEspSa.EXHAUSTED, out.seal(inner, 0, inner.length, buf, 0));
        assertEquals(OutboundEspSa.EXHAUSTED, out.seal(ByteBuffer.wrap(inner), buf, 0));
        assertArrayEquals(new byte[200], buf, "nothing written once exhausted");
        assertEquals(OutboundEspSa.MAX_SEQUENCE, out.sentSequence());
    }

    @Test
    void padsAsStrongSwanDoes() {
        // ikev2.md §6.1 [VERIFIED]: a 48-byte inner packet gets Pad Length 14 with CBC and 2 with GCM.
        byte[] inner = EspSuite.ipv4(48, 3);
        assertEquals(48 + 14 + 2, EspSuite.CBC_256_SHA256.referenceOpen(
                InboundEspSaTest.seal(EspSuite.CBC_256_SHA256.outbound(), inner)).length);
        byte[] gcm = EspSuite.GCM_256.referenceOpen(InboundEspSaTest.seal(EspSuite.GCM_256.outbound(), inner));
        assertEquals("0102" + "02" + "04", java.util.HexFormat.of().formatHex(gcm, 48, gcm.length));
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void sealsInPlaceAndFromADirectBuffer(EspSuite suite) {
        OutboundEspSa out = suite.outbound();
        InboundEspSa in = suite.inbound();
        byte[] inner = EspSuite.ipv4(333, 4);

        byte[] buf = new byte[1000];
        System.arraycopy(inner, 0, buf, 10 + out.headerLength(), inner.length);
        int len = out.seal(buf, 10 + out.headerLength(), inner.length, buf, 10);
        assertEquals(inner.length, in.open(buf, 10, len));
        assertArrayEquals(inner, Arrays.copyOfRange(buf, 10 + in.payloadOffset(), 10 + in.payloadOffset() + 333));

        ByteBuffer direct = ByteBuffer.allocateDirect(600).position(7);
        direct.put(inner).flip().position(7);
        byte[] out2 = new byte[1000];
        len = out.seal(direct, out2, 0);
        assertEquals(7, direct.position(), "the buffer's position is left alone");
        assertEquals(inner.length, in.open(out2, 0, len));
        assertArrayEquals(inner, Arrays.copyOfRange(out2, in.payloadOffset(), in.payloadOffset() + 333));
    }

    @Test
    void overheadMatchesTheSpecTable() {
        // ikev2.md §6.5 without the 28 bytes of IPv4 and UDP: GCM 34..37, AES-CBC/SHA2-256-128 42..57.
        assertEquals(37, EspSuite.GCM_256.outbound().maxOverhead());
        assertEquals(57, EspSuite.CBC_256_SHA256.outbound().maxOverhead());
        assertEquals(53, EspSuite.CBC_128_SHA1.outbound().maxOverhead());
        for (EspSuite s : EspSuite.values()) {
            OutboundEspSa out = s.outbound();
            int max = 0;
            for (int n = 20; n < 100; n++) {
                max = Math.max(max, out.sealedLength(n) - n);
            }
            assertEquals(out.maxOverhead(), max, s.name());
        }
    }
}
