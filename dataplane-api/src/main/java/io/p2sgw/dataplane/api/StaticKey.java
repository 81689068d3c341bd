package io.p2sgw.dataplane.api;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An OpenVPN "Static key V1": 256 bytes, used by tls-auth (HMAC keys) and tls-crypt (cipher + HMAC
 * keys) (openvpn.md §4.1). The bytes never appear in {@link #toString()}.
 */
public final class StaticKey {
    /** Size of an OpenVPN static key file's payload: 2048 bits (openvpn.md §4.1). */
    public static final int LENGTH = 256;

    private final byte[] bytes;

    private StaticKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static StaticKey of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an OpenVPN static key is " + LENGTH + " bytes, got " + bytes.length);
        }
        return new StaticKey(bytes.clone());
    }

    /** A copy of the key bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The key as 512 hex digits (Azure VPN Client profile {@code serversecret}, azure-p2s.md §3.5). */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The key as an OpenVPN static key file body: 16 lines of 32 hex digits between the
     * "-----BEGIN OpenVPN Static key V1-----" markers (openvpn.md §4.1).
     */
    public String toOpenVpnFile() {
        StringBuilder sb = new StringBuilder("-----BEGIN OpenVPN Static key V1-----\n");
        String hex = toHex();
        for (int i = 0; i < hex.length(); i += 32) {
            sb.append(hex, i, i + 32).append('\n');
        }
        return sb.append("-----END OpenVPN Static key V1-----\n").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StaticKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "StaticKey[redacted]";
    }
}
