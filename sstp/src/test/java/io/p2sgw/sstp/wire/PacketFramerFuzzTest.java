package io.p2sgw.sstp.wire;

import io.p2sgw.testkit.bytes.Hex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target for the SSTP stream framer (STYLE.md §7.4 layer 4): the corpus in {@code PacketFramerFuzzTestInputs/}
 * runs in every {@code mvn test}; fuzz with {@code JAZZER_FUZZ=1}. Each whole control packet is also given to the
 * control message parser, which may refuse it only with an {@link SstpException}.
 */
class PacketFramerFuzzTest {
    /**
     * The first two bytes choose two cuts; the rest is the stream. However it is cut, the framer must give exactly what
     * the plain framing rule gives over the whole stream, and never throw.
     */
    @FuzzTest
    void sstpStream(byte[] data) {
        if (data.length < 2) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(data, 2, data.length);
        List<String> expected = new ArrayList<>();
        PacketFramer.Result whole = reference(stream, expected);

        int a = Math.min(data[0] & 0xFF, stream.length);
        int b = Math.min(a + (data[1] & 0xFF) * 17, stream.length);
        PacketFramer f = new PacketFramer();
        PacketFramerTest.Collect sink = new PacketFramerTest.Collect();
        PacketFramer.Result got = f.feed(stream, 0, a, sink);
        if (got == PacketFramer.Result.MORE) {
            got = f.feed(stream, a, b - a, sink);
        }
        if (got == PacketFramer.Result.MORE) {
            got = f.feed(stream, b, stream.length - b, sink);
        }
        assertEquals(whole, got);
        assertEquals(expected, sink.packets);
        for (String p : sink.packets) {
            if (p.startsWith("C:")) {
                byte[] packet = Hex.bytes(p.substring(2));
                try {
                    ControlMessage m = ControlMessage.parse(packet, 0, packet.length);
                    assertEquals(packet.length, m.encode().length);
                } catch (SstpException expectedRefusal) {
                    // A malformed control message is refused with a status; anything else is a bug.
                }
            }
        }
    }

    /** [MS-SSTP] 2.2.1 and 3.1.5.1 written out plainly. */
    private static PacketFramer.Result reference(byte[] s, List<String> out) {
        int off = 0;
        while (s.length - off >= 4) {
            if ((s[off] & 0xFF) != 0x10) {
                return PacketFramer.Result.BAD_VERSION;
            }
            boolean control = (s[off + 1] & 1) != 0;
            int len = ((s[off + 2] & 0x0F) << 8) | (s[off + 3] & 0xFF);
            if (len < (control ? 8 : 4)) {
                return PacketFramer.Result.BAD_LENGTH;
            }
            if (s.length - off < len) {
                break;
            }
            out.add((control ? "C:" : "D:") + Hex.hex(Arrays.copyOfRange(s, off, off + len)));
            off += len;
        }
        return PacketFramer.Result.MORE;
    }
}
