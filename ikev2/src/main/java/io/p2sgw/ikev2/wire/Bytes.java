package io.p2sgw.ikev2.wire;

/** Big-endian reads with the bounds already checked by the caller (every decoder checks lengths first). */
final class Bytes {
    private Bytes() {}

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    static int u32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    static long u64(byte[] b, int i) {
        return (long) u32(b, i) << 32 | (u32(b, i + 4) & 0xFFFFFFFFL);
    }

    static byte[] slice(byte[] b, int from, int length) {
        byte[] out = new byte[length];
        System.arraycopy(b, from, out, 0, length);
        return out;
    }

    /** Fails with INVALID_SYNTAX unless {@code need} bytes are available at {@code pos} before {@code end}. */
    static void require(int pos, int need, int end, String what) {
        if (need < 0 || pos > end || end - pos < need) {
            throw IkeException.syntax(what + ": needs " + need + " bytes, " + Math.max(0, end - pos) + " left");
        }
    }
}
