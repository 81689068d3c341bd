package io.p2sgw.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyMethod2Test {
    static final String OPTIONS = "V4,dev-type tun,link-mtu 1543,tun-mtu 1500,proto TCPv4_CLIENT,auth SHA1,keysize 128,key-method 2,tls-client";
    static final String PEER_INFO = "IV_VER=2.6.14\nIV_PLAT=linux\nIV_TCPNL=1\nIV_MTU=1600\nIV_NCP=2\n"
            + "IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\nIV_PROTO=990\n";

    /** The client's message as openvpn.md §5.1 lays it out (u16 lengths include the NUL; user/pass empty). */
    static byte[] clientMessage(String options, String peerInfo) {
        byte[] o = (options + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] p = (peerInfo + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 48 + 64 + 2 + o.length + 2 + 2 + 2 + p.length);
        b.putInt(0).put((byte) 2);
        for (int i = 0; i < 48 + 64; i++) {
            b.put((byte) i);
        }
        b.putShort((short) o.length).put(o).putShort((short) 0).putShort((short) 0).putShort((short) p.length).put(p);
        return b.array();
    }

    @Test
    void decodesClientMessage() throws Exception {
        KeyMethod2.ClientMessage m = KeyMethod2.decodeClient(clientMessage(OPTIONS, PEER_INFO));
        assertEquals(OPTIONS, m.options());
        assertEquals("", m.username());
        assertEquals(PEER_INFO, m.peerInfo());
        assertEquals(0, m.preMaster()[0]);
        assertEquals(48, m.random1()[0]);
        assertEquals(80, m.random2()[0]);
        PeerInfo pi = PeerInfo.parse(m.peerInfo());
        assertEquals(990, pi.protoFlags());
        assertTrue(pi.hasProto(PeerInfo.PROTO_TLS_KEY_EXPORT));
        assertTrue(pi.hasProto(PeerInfo.PROTO_CC_EXIT_NOTIFY));
        assertEquals(List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"), pi.ciphers());
    }

    /** openvpn.md §5.2: 185 bytes for a 107-character options string: no pre_master, three empty strings. */
    @Test
    void serverMessageGolden() {
        byte[] r1 = new byte[32];
        byte[] r2 = new byte[32];
        Arrays.fill(r1, (byte) 1);
        Arrays.fill(r2, (byte) 2);
        String opts = OptionsString.mirror(OPTIONS);
        byte[] m = KeyMethod2.encodeServer(r1, r2, opts);
        byte[] o = (opts + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer expected = ByteBuffer.allocate(4 + 1 + 64 + 2 + o.length + 6);
        expected.putInt(0).put((byte) 2).put(r1).put(r2).putShort((short) o.length).put(o).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        assertArrayEquals(expected.array(), m);
        assertEquals("V4,dev-type tun,link-mtu 1543,tun-mtu 1500,proto TCPv4_SERVER,auth SHA1,keysize 128,key-method 2,tls-server", opts);
    }

    @Test
    void malformedMessagesAreTypedErrors() {
        byte[] good = clientMessage(OPTIONS, PEER_INFO);
        assertCode(WireException.Code.TRUNCATED, Arrays.copyOf(good, 100));
        byte[] badMethod = good.clone();
        badMethod[4] = 1;
        assertCode(WireException.Code.BAD_KEY_METHOD, badMethod);
        byte[] nonZero = good.clone();
        nonZero[0] = 1;
        assertCode(WireException.Code.BAD_KEY_METHOD, nonZero);
        byte[] longString = good.clone();
        longString[117] = 0x7f; // options length high byte -> > 512
        assertCode(WireException.Code.STRING_TOO_LONG, longString);
        byte[] cut = Arrays.copyOf(good, 117 + 2 + 10);
        assertCode(WireException.Code.TRUNCATED, cut);
        byte[] noNul = clientMessage(OPTIONS, "");
        noNul[117 + 2 + OPTIONS.length()] = 'x';
        assertCode(WireException.Code.BAD_STRING, noNul);
    }

    @Test
    void optionsStringHelpers() {
        assertEquals(Optional.of("AES-256-GCM"), OptionsString.cipher("V4,dev-type tun,cipher AES-256-GCM,auth [null-digest]"));
        assertEquals(Optional.empty(), OptionsString.cipher(OPTIONS));
        assertTrue(OptionsString.wantsCompression("V4,comp-lzo,tls-client"));
        assertFalse(OptionsString.wantsCompression(OPTIONS));
    }

    private static void assertCode(WireException.Code code, byte[] msg) {
        assertEquals(code, assertThrows(WireException.class, () -> KeyMethod2.decodeClient(msg)).code());
    }
}
