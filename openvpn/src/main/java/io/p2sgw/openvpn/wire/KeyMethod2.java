package io.p2sgw.openvpn.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Key method 2 messages, the first plaintext on the TLS channel (openvpn.md §5). The client's carries a
 * pre_master (used only by the legacy PRF); the server's does not (§5.2, Appendix C.2).
 */
public final class KeyMethod2 {
    public static final int KEY_METHOD = 2;
    public static final int PRE_MASTER_LENGTH = 48;
    public static final int RANDOM_LENGTH = 32;
    /** {@code TLS_OPTIONS_LEN}. */
    public static final int MAX_OPTIONS = 512;
    /** {@code USER_PASS_LEN}. */
    public static final int MAX_USER_PASS = 128;
    /** Peer-info is bounded by the 2048-byte TLS channel buffer (openvpn.md §3.2). */
    public static final int MAX_PEER_INFO = 2048;

    private KeyMethod2() {}

    /** The client's message (openvpn.md §5.1). */
    public record ClientMessage(
            byte[] preMaster, byte[] random1, byte[] random2, String options, String username, String password, String peerInfo) {
        @Override
        public String toString() {
            return "ClientMessage[options=" + options + ", peerInfo=" + peerInfo.replace('\n', ' ') + "]";
        }
    }

    public static ClientMessage decodeClient(byte[] message) throws WireException {
        ByteBuffer b = ByteBuffer.wrap(message);
        need(b, 4 + 1 + PRE_MASTER_LENGTH + 2 * RANDOM_LENGTH, "fixed part");
        if (b.getInt() != 0) {
            throw new WireException(WireException.Code.BAD_KEY_METHOD, "literal zero missing");
        }
        int method = b.get() & 0x0F;
        if (method != KEY_METHOD) {
            throw new WireException(WireException.Code.BAD_KEY_METHOD, "key method " + method);
        }
        byte[] preMaster = new byte[PRE_MASTER_LENGTH];
        byte[] r1 = new byte[RANDOM_LENGTH];
        byte[] r2 = new byte[RANDOM_LENGTH];
        b.get(preMaster).get(r1).get(r2);
        String options = readString(b, MAX_OPTIONS, "options");
        // Username, password and peer-info are optional trailing fields for old clients.
        String user = b.hasRemaining() ? readString(b, MAX_USER_PASS, "username") : "";
        String pass = b.hasRemaining() ? readString(b, MAX_USER_PASS, "password") : "";
        String peerInfo = b.hasRemaining() ? readString(b, MAX_PEER_INFO, "peer-info") : "";
        return new ClientMessage(preMaster, r1, r2, options, user, pass, peerInfo);
    }

    /** The server's message: no pre_master, empty user/password/peer-info (openvpn.md §5.2). */
    public static byte[] encodeServer(byte[] random1, byte[] random2, String options) {
        if (random1.length != RANDOM_LENGTH || random2.length != RANDOM_LENGTH) {
            throw new IllegalArgumentException("randoms are 32 bytes");
        }
        byte[] opt = options.getBytes(StandardCharsets.UTF_8);
        if (opt.length + 1 > MAX_OPTIONS) {
            throw new IllegalArgumentException("options string too long");
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 2 * RANDOM_LENGTH + 2 + opt.length + 1 + 6);
        b.putInt(0).put((byte) KEY_METHOD).put(random1).put(random2);
        b.putShort((short) (opt.length + 1)).put(opt).put((byte) 0);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0);
        return b.array();
    }

    /** u16 length including the trailing NUL; 0 means empty; a NUL-less or oversized string is an error. */
    static String readString(ByteBuffer b, int max, String what) throws WireException {
        need(b, 2, what + " length");
        int len = b.getShort() & 0xFFFF;
        if (len == 0) {
            return "";
        }
        if (len > max) {
            throw new WireException(WireException.Code.STRING_TOO_LONG, what + " is " + len + " bytes, max " + max);
        }
        need(b, len, what);
        byte[] s = new byte[len];
        b.get(s);
        if (s[len - 1] != 0) {
            throw new WireException(WireException.Code.BAD_STRING, what + " not NUL-terminated");
        }
        int end = 0;
        while (end < len - 1 && s[end] != 0) {
            end++;
        }
        return new String(s, 0, end, StandardCharsets.UTF_8);
    }

    private static void need(ByteBuffer b, int n, String what) throws WireException {
        if (b.remaining() < n) {
            throw new WireException(WireException.Code.TRUNCATED, what + " needs " + n + " bytes, " + b.remaining() + " left");
        }
    }
}
