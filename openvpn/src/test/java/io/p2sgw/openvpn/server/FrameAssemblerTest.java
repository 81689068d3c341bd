package io.p2sgw.openvpn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TCP framing (openvpn.md §2.1): u16 length prefixes, packets split and coalesced however the reads fall. */
class FrameAssemblerTest {
    private static final int MAX = OpenVpnStreamProtocol.MAX_PACKET;

    static byte[] frame(int len, int fill) {
        byte[] f = new byte[2 + len];
        f[0] = (byte) (len >>> 8);
        f[1] = (byte) len;
        Arrays.fill(f, 2, f.length, (byte) fill);
        return f;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteBuffer b = ByteBuffer.allocate(parts.stream().mapToInt(p -> p.length).sum());
        parts.forEach(b::put);
        return b.array();
    }

    /** Collects copies of the packets. */
    static final class Collect implements FrameAssembler.Sink {
        final List<byte[]> packets = new ArrayList<>();
        int stopAfter = Integer.MAX_VALUE;

        @Override
        public boolean packet(byte[] buf, int off, int len) {
            packets.add(Arrays.copyOfRange(buf, off, off + len));
            return packets.size() < stopAfter;
        }
    }

    /** Feeds {@code stream} in pieces cut at {@code cuts}, each piece inside a larger buffer (offset, like a reader's). */
    static FrameAssembler.Result feed(FrameAssembler a, Collect sink, byte[] stream, int[] cuts) {
        int from = 0;
        FrameAssembler.Result r = FrameAssembler.Result.MORE;
        for (int i = 0; i <= cuts.length && r == FrameAssembler.Result.MORE; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            byte[] backing = new byte[to - from + 7];
            System.arraycopy(stream, from, backing, 3, to - from);
            ByteBuffer piece = ByteBuffer.wrap(backing, 3, to - from).slice();
            int before = piece.position();
            r = a.feed(piece, sink);
            assertEquals(before, piece.position(), "feed leaves the buffer's position alone");
            from = to;
        }
        return r;
    }

    static void assertPackets(List<byte[]> frames, List<byte[]> got) {
        assertEquals(frames.size(), got.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(Arrays.copyOfRange(frames.get(i), 2, frames.get(i).length), got.get(i), "packet " + i);
        }
    }

    @Test
    void everyCutOfASmallStreamGivesTheSamePackets() {
        List<byte[]> frames = List.of(frame(1, 1), frame(60, 2), frame(3, 3), frame(300, 4));
        byte[] stream = concat(frames);
        // One cut anywhere, and two cuts anywhere: the prefix split 1+1, a packet split in three, and so on.
        for (int i = 0; i <= stream.length; i++) {
            for (int j = i; j <= stream.length; j++) {
                Collect sink = new Collect();
                assertEquals(FrameAssembler.Result.MORE, feed(new FrameAssembler(MAX), sink, stream, new int[] {i, j}));
                assertPackets(frames, sink.packets);
            }
        }
    }

    @Test
    void byteByByteAndInRandomPiecesIncludingMaximumSizePackets() {
        Random random = new Random(7);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            frames.add(frame(i % 40 == 0 ? MAX : 1 + random.nextInt(1500), i));
        }
        byte[] stream = concat(frames);
        int[] oneByOne = new int[stream.length - 1];
        for (int i = 0; i < oneByOne.length; i++) {
            oneByOne[i] = i + 1;
        }
        Collect sink = new Collect();
        feed(new FrameAssembler(MAX), sink, stream, oneByOne);
        assertPackets(frames, sink.packets);

        // Reads of up to 64 KiB, as the core's readers make them.
        int[] cuts = random.ints(60, 0, stream.length).sorted().toArray();
        sink = new Collect();
        feed(new FrameAssembler(MAX), sink, stream, cuts);
        assertPackets(frames, sink.packets);
    }

    @Test
    void zeroOrOversizedLengthBreaksTheFramingEvenWhenItArrivesSplit() {
        for (int bad : new int[] {0, MAX + 1, 0xFFFF}) {
            byte[] stream = concat(List.of(frame(5, 1), new byte[] {(byte) (bad >>> 8), (byte) bad, 9, 9, 9}));
            for (int cut = 0; cut <= stream.length; cut++) {
                FrameAssembler a = new FrameAssembler(MAX);
                Collect sink = new Collect();
                assertEquals(FrameAssembler.Result.BAD_LENGTH, feed(a, sink, stream, new int[] {cut}), "length " + bad + ", cut " + cut);
                assertEquals(bad, a.badLength());
                assertEquals(1, sink.packets.size(), "the good packet before it still counts");
            }
        }
    }

    @Test
    void theSinkCanStopTheRest() {
        Collect sink = new Collect();
        sink.stopAfter = 2;
        byte[] stream = concat(List.of(frame(4, 1), frame(4, 2), frame(4, 3)));
        assertEquals(FrameAssembler.Result.STOPPED, new FrameAssembler(MAX).feed(ByteBuffer.wrap(stream), sink));
        assertEquals(2, sink.packets.size());
    }
}
