package io.p2sgw.sstp.ppp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer targets for the PPP parsers one by one (the engine's own target, {@link PppServerEngineFuzzTest}, reaches them
 * only through a session): the frame header (RFC 1661 §2, sstp.md §4.1), control protocol packets with their
 * Configure options (LCP, IPCP: RFC 1661 §5-6, RFC 1332, RFC 1877) and EAP packets (RFC 3748 §4). The corpora in
 * {@code PppCodecFuzzTestInputs/} run in every {@code mvn test}; fuzz with {@code JAZZER_FUZZ=1}. A parser may refuse
 * input only with {@link MalformedPacketException}; what it accepts stays within the bytes it was given and encodes
 * back to the same bytes (up to the Length field: the rest is padding).
 */
class PppCodecFuzzTest {
    @FuzzTest
    void frameHeader(byte[] data) {
        int header = PppFrames.headerLength(data, 0, data.length);
        if (header < 0) {
            return;
        }
        assertTrue(header >= 1 && header <= PppFrames.HEADER_LENGTH && header <= data.length, "header " + header);
        int protocol = PppFrames.protocol(data, 0, header);
        assertEquals(1, protocol & 1, "a PPP protocol number is odd (RFC 1661 §2)");
        assertTrue(protocol <= 0xFFFF);
    }

    @FuzzTest
    void controlPacketAndOptions(byte[] data) {
        CpPacket p;
        try {
            p = CpPacket.parse(data, 0, data.length);
        } catch (MalformedPacketException e) {
            return;
        }
        int length = CpPacket.HEADER_LENGTH + p.data().length;
        assertArrayEquals(Arrays.copyOf(data, length), p.encode());
        List<CpOption> options;
        try {
            options = CpOption.parseAll(p.data());
        } catch (MalformedPacketException e) {
            return;
        }
        assertArrayEquals(p.data(), CpOption.encodeAll(options));
        for (CpOption o : options) {
            assertTrue(o.length() >= 2 && o.length() <= p.data().length);
        }
    }

    @FuzzTest
    void eapPacket(byte[] data) {
        EapPacket p;
        try {
            p = EapPacket.parse(data, 0, data.length);
        } catch (MalformedPacketException e) {
            return;
        }
        byte[] again = p.encode();
        assertTrue(again.length <= data.length);
        if (p.code() == EapPacket.REQUEST || p.code() == EapPacket.RESPONSE) {
            assertArrayEquals(Arrays.copyOf(data, again.length), again);
        } else {
            // Success, Failure and unknown codes keep only their header (RFC 3748 §4.2).
            assertArrayEquals(Arrays.copyOf(data, 2), Arrays.copyOf(again, 2));
        }
    }
}
