package io.p2sgw.openvpn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TCP framing (openvpn.md §2.1): u16 length prefixes, packets split and coalesced, read in place. */
@Timeout(20)
class FrameReaderTest {
    static byte[] frame(int len, int fill) {
        byte[] f = new byte[2 + len];
        f[0] = (byte) (len >>> 8);
        f[1] = (byte) len;
        Arrays.fill(f, 2, f.length, (byte) fill);
        return f;
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    interface Body {
        void run(SocketChannel writer, OpenVpnStreamProtocol.FrameReader reader) throws Exception;
    }

    static void withPair(byte[] alreadyRead, Body body) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel writer = SocketChannel.open(server.getLocalAddress());
                SocketChannel readerSide = server.accept()) {
            body.run(writer, new OpenVpnStreamProtocol.FrameReader(readerSide, ByteBuffer.wrap(alreadyRead)));
        }
    }

    static byte[] next(OpenVpnStreamProtocol.FrameReader r) throws IOException {
        int len = r.nextInPlace();
        return len < 0 ? null : Arrays.copyOfRange(r.array(), r.offset(), r.offset() + len);
    }

    @Test
    void coalescedAndSplitPacketsComeOutWhole() throws Exception {
        byte[] a = frame(60, 1);
        byte[] b = frame(OpenVpnStreamProtocol.MAX_PACKET, 2);
        byte[] c = frame(1, 3);
        byte[] all = concat(a, b, c);
        // The probe already read the first 10 bytes; the rest arrives in odd pieces.
        withPair(Arrays.copyOf(all, 10), (w, r) -> {
            Thread.ofVirtual().start(() -> {
                try {
                    for (int off = 10; off < all.length; off += 777) {
                        w.write(ByteBuffer.wrap(all, off, Math.min(777, all.length - off)));
                    }
                    w.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertArrayEquals(Arrays.copyOfRange(a, 2, a.length), next(r));
            assertArrayEquals(Arrays.copyOfRange(b, 2, b.length), next(r));
            assertArrayEquals(Arrays.copyOfRange(c, 2, c.length), next(r));
            assertEquals(null, next(r), "end of stream");
        });
    }

    /**
     * A client that streams: bursts of frames much larger than the reader's buffer, with pauses between them. Every
     * frame comes out whole, including those split across reads.
     */
    @Test
    void streamedBurstsAndPausesComeOutWholeAcrossBufferSwitches() throws Exception {
        java.util.Random random = new java.util.Random(4);
        java.util.List<byte[]> frames = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            frames.add(frame(1 + random.nextInt(i % 50 == 0 ? OpenVpnStreamProtocol.MAX_PACKET : 1500), i));
        }
        withPair(new byte[0], (w, r) -> {
            Thread.ofVirtual().start(() -> {
                try {
                    // Bursts of 100 frames (about 75 KiB) in one write, with pauses between them.
                    for (int i = 0; i < frames.size(); i += 100) {
                        w.write(ByteBuffer.wrap(concat(frames.subList(i, i + 100).toArray(new byte[0][]))));
                        Thread.sleep(20);
                    }
                    w.shutdownOutput();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (byte[] f : frames) {
                assertArrayEquals(Arrays.copyOfRange(f, 2, f.length), next(r));
            }
            assertEquals(null, next(r), "end of stream");
        });
    }

    @Test
    void zeroOrOversizedLengthEndsTheStream() throws Exception {
        withPair(new byte[] {0, 0}, (w, r) -> assertThrows(IOException.class, r::nextInPlace));
        int tooBig = OpenVpnStreamProtocol.MAX_PACKET + 1;
        withPair(new byte[] {(byte) (tooBig >>> 8), (byte) tooBig}, (w, r) -> assertThrows(IOException.class, r::nextInPlace));
    }
}
