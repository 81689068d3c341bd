package io.p2sgw.openvpn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target for the TCP framing parser (STYLE.md §7.4 layer 4): regression over the corpus in
 * {@code FrameAssemblerFuzzTestInputs/} in every {@code mvn test}, fuzzing with {@code JAZZER_FUZZ=1}.
 */
class FrameAssemblerFuzzTest {
    /**
     * The first two bytes choose two cuts; the rest is the stream. However the stream is cut, the assembler must give
     * exactly what one pass over the whole stream gives (the packets, then MORE or BAD_LENGTH), and never throw.
     */
    @FuzzTest
    void tcpStream(byte[] data) {
        if (data.length < 2) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(data, 2, data.length);
        List<byte[]> expected = new ArrayList<>();
        FrameAssembler.Result whole = reference(stream, expected);

        int a = Math.min(data[0] & 0xFF, stream.length);
        int b = Math.min(a + (data[1] & 0xFF) * 17, stream.length);
        FrameAssemblerTest.Collect sink = new FrameAssemblerTest.Collect();
        FrameAssembler.Result got = FrameAssemblerTest.feed(new FrameAssembler(OpenVpnStreamProtocol.MAX_PACKET), sink,
                stream, new int[] {a, b});
        assertEquals(whole, got);
        assertEquals(expected.size(), sink.packets.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), sink.packets.get(i));
        }
    }

    /** The framing rule written out plainly (openvpn.md §2.1). */
    private static FrameAssembler.Result reference(byte[] s, List<byte[]> out) {
        int off = 0;
        while (s.length - off >= 2) {
            int len = (s[off] & 0xFF) << 8 | (s[off + 1] & 0xFF);
            if (len == 0 || len > OpenVpnStreamProtocol.MAX_PACKET) {
                return FrameAssembler.Result.BAD_LENGTH;
            }
            if (s.length - off < 2 + len) {
                break;
            }
            out.add(Arrays.copyOfRange(s, off + 2, off + 2 + len));
            off += 2 + len;
        }
        return FrameAssembler.Result.MORE;
    }
}
