package io.p2sgw.openvpn.testing;

import io.p2sgw.openvpn.wire.StaticKey;

/** A fixed tls-auth/tls-crypt static key for tests, as the server holds it and as the client's profile holds it. */
public final class TestStaticKeys {
    private static final int HALF = StaticKey.LENGTH / 2;

    private TestStaticKeys() {}

    /** The server's key: 256 bytes of a fixed pattern. */
    public static byte[] server() {
        byte[] k = new byte[StaticKey.LENGTH];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 7 + 1);
        }
        return k;
    }

    /** The client's key: the server's with its halves swapped, the other key direction (openvpn.md §4.6). */
    public static StaticKey clientOf(byte[] server) {
        byte[] c = new byte[server.length];
        System.arraycopy(server, HALF, c, 0, HALF);
        System.arraycopy(server, 0, c, HALF, HALF);
        return StaticKey.of(c);
    }
}
