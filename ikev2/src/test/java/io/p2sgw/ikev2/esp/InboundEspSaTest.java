package io.p2sgw.ikev2.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The receiving half against packets from our own outbound half and from the independent reference encoder, for every
 * suite: round trips at every inner length, the anti-replay window (duplicates, reordering, too old, moved only by
 * verified packets), tampering at every byte, truncation at every length, a wrong SPI, and authentic packets with
 * what a correct sender never sends (bad padding, other Next Headers, dummies, TFC padding, broken inner headers).
 */
class InboundEspSaTest {

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void roundTripsEveryInnerLength(EspSuite suite) {
        OutboundEspSa out = suite.outbound();
        InboundEspSa in = suite.inbound();
        byte[] buf = new byte[2048];
        long bytes = 0;
        for (int n = 20; n <= 1500; n = n < 300 ? n + 1 : n + 97) {
            byte[] inner = EspSuite.ipv4(n, n);
            int len = out.seal(inner, 0, inner.length, buf, 5);
            assertEquals(out.sealedLength(n), len);
            assertTrue(len - n <= out.maxOverhead(), "overhead " + (len - n) + " at " + n);
            // The reference decoder agrees on the ciphertext, the ICV and the trailer.
            byte[] packet = Arrays.copyOfRange(buf, 5, 5 + len);
            assertArrayEquals(suite.plaintext(inner, 4), suite.referenceOpen(packet), "inner length " + n);
            int got = in.open(buf, 5, len);
            assertEquals(n, got, "inner length " + n);
            assertArrayEquals(inner, Arrays.copyOfRange(buf, 5 + in.payloadOffset(), 5 + in.payloadOffset() + got));
            bytes += n;
        }
        assertEquals(out.sentSequence(), in.counters().packets());
        assertEquals(bytes, in.counters().bytes());
        assertEquals(bytes, out.counters().bytes());
        assertEquals(java.util.Map.of(), in.counters().dropsByReason());
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void opensWhatTheReferenceEncoderSends(EspSuite suite) {
        InboundEspSa in = suite.inbound();
        for (int seq = 1; seq <= 40; seq++) {
            byte[] inner = EspSuite.ipv4(20 + seq * 7, seq);
            byte[] packet = suite.referenceSeal(EspSuite.SPI, seq, suite.plaintext(inner, 4));
            assertEquals(inner.length, in.open(packet, 0, packet.length));
            assertArrayEquals(inner, Arrays.copyOfRange(packet, in.payloadOffset(), in.payloadOffset() + inner.length));
        }
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void dropsDuplicatesAcceptsReorderingWithinTheWindow(EspSuite suite) {
        OutboundEspSa out = suite.outbound();
        InboundEspSa in = suite.inbound(64);
        byte[][] packets = new byte[200][];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = seal(out, EspSuite.ipv4(40, i));
        }
        // 1..64 delivered backwards: all inside the window of 64 below the highest.
        for (int i = 63; i >= 0; i--) {
            assertEquals(40, open(in, packets[i]), "seq " + (i + 1));
        }
        assertEquals(EspDrop.REPLAY, drop(in, packets[10]));
        assertEquals(EspDrop.REPLAY, drop(in, packets[63]));
        // Jump to 200, then 137..199 are still inside the window of 64 (137 = 200 - 63), 136 is not.
        assertEquals(40, open(in, packets[199]));
        assertEquals(EspDrop.REPLAY, drop(in, packets[135]));
        assertEquals(40, open(in, packets[136]));
        assertEquals(40, open(in, packets[198]));
        assertEquals(EspDrop.REPLAY, drop(in, packets[198]));
        assertEquals(200, in.highestSequence());
        assertEquals(4, in.counters().drops(EspDrop.REPLAY));
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void forgedPacketsDoNotMoveTheWindow(EspSuite suite) {
        OutboundEspSa out = suite.outbound();
        InboundEspSa in = suite.inbound(64);
        byte[] first = seal(out, EspSuite.ipv4(60, 1));
        out.skipTo(999);
        byte[] high = seal(out, EspSuite.ipv4(60, 2));
        high[high.length - 1] ^= 0x01;
        assertEquals(EspDrop.ICV_FAILURE, drop(in, high));
        assertEquals(0, in.highestSequence());
        assertEquals(60, open(in, first), "sequence 1 is still inside the window");
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void dropsATamperedPacketAtEveryByte(EspSuite suite) {
        OutboundEspSa out = suite.outbound();
        InboundEspSa in = suite.inbound();
        byte[] packet = seal(out, EspSuite.ipv4(77, 3));
        for (int i = 0; i < packet.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] copy = packet.clone();
                copy[i] ^= (byte) bit;
                EspDrop reason = drop(in, copy);
                Set<EspDrop> expected = i < 4 ? Set.of(EspDrop.BAD_SPI)
                        : i < 8 ? Set.of(EspDrop.ICV_FAILURE, EspDrop.REPLAY) : Set.of(EspDrop.ICV_FAILURE);
                assertTrue(expected.contains(reason), "byte " + i + ": " + reason);
            }
        }
        assertEquals(77, open(in, packet), "the genuine packet still opens");
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void dropsAPacketTruncatedAtEveryLength(EspSuite suite) {
        OutboundEspSa out = suite.outbound();
        InboundEspSa in = suite.inbound();
        byte[] packet = seal(out, EspSuite.ipv4(100, 4));
        for (int len = 0; len < packet.length; len++) {
            byte[] cut = Arrays.copyOf(packet, len);
            EspDrop reason = drop(in, cut);
            assertTrue(Set.of(EspDrop.SHORT_PACKET, EspDrop.MISALIGNED, EspDrop.ICV_FAILURE).contains(reason),
                    "length " + len + ": " + reason);
        }
        assertEquals(EspDrop.SHORT_PACKET, drop(in, new byte[0]));
        assertEquals(100, open(in, packet));
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void dropsAnotherSasSpi(EspSuite suite) {
        byte[] packet = suite.referenceSeal(EspSuite.SPI + 1, 1, suite.plaintext(EspSuite.ipv4(40, 0), 4));
        InboundEspSa in = suite.inbound();
        assertEquals(EspDrop.BAD_SPI, drop(in, packet));
        assertEquals(1, in.counters().drops(EspDrop.BAD_SPI));
        assertEquals(0, in.highestSequence());
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void dropsDummyPacketsSilentlyButTheyAuthenticate(EspSuite suite) {
        InboundEspSa in = suite.inbound();
        // RFC 4303 §2.6: Next Header 59, any payload (here random-looking TFC bytes).
        byte[] packet = suite.referenceSeal(EspSuite.SPI, 7, suite.plaintext(EspSuite.counting(9, 33), 59));
        assertEquals(InboundEspSa.NO_PAYLOAD, in.open(packet, 0, packet.length));
        assertEquals(EspDrop.DUMMY, in.lastDrop());
        assertEquals(1, in.counters().drops(EspDrop.DUMMY));
        assertEquals(0, in.counters().packets());
        assertEquals(7, in.highestSequence());
        byte[] empty = suite.referenceSeal(EspSuite.SPI, 8, suite.plaintext(new byte[0], 59));
        assertEquals(InboundEspSa.NO_PAYLOAD, in.open(empty, 0, empty.length));
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void trimsTfcPaddingByTheInnerTotalLength(EspSuite suite) {
        InboundEspSa in = suite.inbound();
        byte[] inner = EspSuite.ipv4(52, 5);
        byte[] padded = Arrays.copyOf(inner, inner.length + 300);
        byte[] packet = suite.referenceSeal(EspSuite.SPI, 1, suite.plaintext(padded, 4));
        assertEquals(52, in.open(packet, 0, packet.length));
        assertArrayEquals(inner, Arrays.copyOfRange(packet, in.payloadOffset(), in.payloadOffset() + 52));
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void dropsAuthenticPacketsWithBadTrailersOrInnerHeaders(EspSuite suite) {
        InboundEspSa in = suite.inbound();
        byte[] inner = EspSuite.ipv4(45, 6);
        long seq = 1;

        byte[] badPattern = suite.plaintext(inner, 4);
        if (badPattern[badPattern.length - 2] == 0) {
            badPattern = suite.plaintext(Arrays.copyOf(inner, inner.length + 1), 4);
        }
        badPattern[badPattern.length - 3] ^= 0x40; // the last padding byte
        assertEquals(EspDrop.BAD_PADDING, drop(in, suite.referenceSeal(EspSuite.SPI, seq++, badPattern)));

        byte[] tooLong = suite.plaintext(inner, 4);
        tooLong[tooLong.length - 2] = (byte) (tooLong.length - 1); // Pad Length reaching before the payload
        assertEquals(EspDrop.BAD_PADDING, drop(in, suite.referenceSeal(EspSuite.SPI, seq++, tooLong)));

        assertEquals(EspDrop.BAD_NEXT_HEADER,
                drop(in, suite.referenceSeal(EspSuite.SPI, seq++, suite.plaintext(inner, 41))));

        byte[] v6 = inner.clone();
        v6[0] = 0x65;
        assertEquals(EspDrop.BAD_INNER_PACKET, drop(in, suite.referenceSeal(EspSuite.SPI, seq++, suite.plaintext(v6, 4))));
        byte[] longer = inner.clone();
        longer[3] = 46; // Total Length one past the payload
        assertEquals(EspDrop.BAD_INNER_PACKET,
                drop(in, suite.referenceSeal(EspSuite.SPI, seq++, suite.plaintext(longer, 4))));
        byte[] shortIhl = inner.clone();
        shortIhl[0] = 0x44;
        assertEquals(EspDrop.BAD_INNER_PACKET,
                drop(in, suite.referenceSeal(EspSuite.SPI, seq++, suite.plaintext(shortIhl, 4))));
        assertEquals(EspDrop.BAD_INNER_PACKET,
                drop(in, suite.referenceSeal(EspSuite.SPI, seq++, suite.plaintext(Arrays.copyOf(inner, 19), 4))));
        assertEquals(2, in.counters().drops(EspDrop.BAD_PADDING));
        assertEquals(0, in.counters().drops(EspDrop.ICV_FAILURE));
        assertEquals(seq - 1, in.highestSequence(), "each was authentic, so each moved the window");
    }

    static byte[] seal(OutboundEspSa out, byte[] inner) {
        byte[] buf = new byte[out.sealedLength(inner.length)];
        assertEquals(buf.length, out.seal(inner, 0, inner.length, buf, 0));
        return buf;
    }

    /** Opens a copy (opening decrypts in place) and returns the inner length. */
    static int open(InboundEspSa in, byte[] packet) {
        return in.open(packet.clone(), 0, packet.length);
    }

    static EspDrop drop(InboundEspSa in, byte[] packet) {
        byte[] copy = new byte[packet.length + 2];
        System.arraycopy(packet, 0, copy, 1, packet.length);
        long before = in.counters().dropsByReason().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(InboundEspSa.DROPPED, in.open(copy, 1, packet.length));
        long after = in.counters().dropsByReason().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(before + 1, after, "one drop counted");
        return in.lastDrop();
    }
}
