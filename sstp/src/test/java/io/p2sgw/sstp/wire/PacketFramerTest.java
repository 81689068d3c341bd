package io.p2sgw.sstp.wire;

import static io.p2sgw.testkit.bytes.Hex.bytes;
import static io.p2sgw.testkit.bytes.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketFramerTest {
    static final class Collect implements PacketFramer.Sink {
        final List<String> packets = new ArrayList<>();
        int stopAfter = Integer.MAX_VALUE;

        @Override
        public boolean packet(boolean control, byte[] buf, int off, int len) {
            packets.add((control ? "C:" : "D:") + hex(Arrays.copyOfRange(buf, off, off + len)));
            return packets.size() < stopAfter;
        }
    }

    static final String ECHO = "1001000800080000";
    static final String DATA = "10000008ff03c021";

    @Test
    void severalPacketsInOneRead() {
        Collect c = new Collect();
        byte[] in = bytes(ECHO + DATA + ECHO);
        assertEquals(PacketFramer.Result.MORE, new PacketFramer().feed(in, 0, in.length, c));
        assertEquals(List.of("C:" + ECHO, "D:" + DATA, "C:" + ECHO), c.packets);
    }

    @Test
    void everySplitGivesTheSamePackets() {
        byte[] in = bytes(ECHO + DATA + "10000004" + ECHO);
        for (int a = 0; a <= in.length; a++) {
            for (int b = a; b <= in.length; b++) {
                PacketFramer f = new PacketFramer();
                Collect c = new Collect();
                f.feed(in, 0, a, c);
                f.feed(in, a, b - a, c);
                assertEquals(PacketFramer.Result.MORE, f.feed(in, b, in.length - b, c));
                assertEquals(List.of("C:" + ECHO, "D:" + DATA, "D:10000004", "C:" + ECHO), c.packets, a + "/" + b);
            }
        }
    }

    @Test
    void reservedLengthBitsAreMasked() {
        Collect c = new Collect();
        byte[] in = bytes("1000F008ff03c021");
        assertEquals(PacketFramer.Result.MORE, new PacketFramer().feed(in, 0, in.length, c));
        assertEquals(List.of("D:1000f008ff03c021"), c.packets);
    }

    @Test
    void largestPacket() {
        byte[] in = new byte[SstpHeader.MAX_PACKET];
        SstpHeader.writeData(in, 0, SstpHeader.MAX_DATA_PAYLOAD);
        Collect c = new Collect();
        PacketFramer f = new PacketFramer();
        assertEquals(PacketFramer.Result.MORE, f.feed(in, 0, 100, c));
        assertEquals(PacketFramer.Result.MORE, f.feed(in, 100, in.length - 100, c));
        assertEquals(1, c.packets.size());
        assertEquals(2 + 2 * SstpHeader.MAX_PACKET, c.packets.get(0).length());
    }

    @Test
    void delineationFailures() {
        assertEquals(PacketFramer.Result.BAD_VERSION, once("11000008ff03c021"));
        assertEquals(PacketFramer.Result.BAD_VERSION, once("2001000800080000"));
        assertEquals(PacketFramer.Result.BAD_LENGTH, once("10000003"));
        assertEquals(PacketFramer.Result.BAD_LENGTH, once("10010007"));
        assertEquals(PacketFramer.Result.BAD_LENGTH, once("10000000"));
        // Announced in a split header too, and the failure sticks.
        PacketFramer f = new PacketFramer();
        Collect c = new Collect();
        byte[] in = bytes(ECHO + "100100");
        assertEquals(PacketFramer.Result.MORE, f.feed(in, 0, in.length, c));
        assertEquals(PacketFramer.Result.BAD_LENGTH, f.feed(bytes("07"), 0, 1, c));
        assertEquals(PacketFramer.Result.BAD_LENGTH, f.feed(bytes(ECHO), 0, 8, c));
        assertEquals(List.of("C:" + ECHO), c.packets);
    }

    @Test
    void sinkStops() {
        Collect c = new Collect();
        c.stopAfter = 1;
        byte[] in = bytes(ECHO + ECHO);
        assertEquals(PacketFramer.Result.STOPPED, new PacketFramer().feed(in, 0, in.length, c));
        assertEquals(1, c.packets.size());
    }

    @Test
    void dataHeaderRefusesOversizedPayload() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SstpHeader.writeData(new byte[8], 0, SstpHeader.MAX_DATA_PAYLOAD + 1));
    }

    private static PacketFramer.Result once(String hex) {
        byte[] in = bytes(hex);
        return new PacketFramer().feed(in, 0, in.length, new Collect());
    }
}
