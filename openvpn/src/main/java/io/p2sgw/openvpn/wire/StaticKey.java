package io.p2sgw.openvpn.wire;

import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TunnelType;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An OpenVPN "Static key V1": 256 bytes, used by tls-auth (HMAC keys) and tls-crypt (cipher + HMAC
 * keys) (openvpn.md §4.1). The bytes never appear in {@link #toString()}.
 *
 * <p>The gateway's key reaches this module as the snapshot's raw {@linkplain io.p2sgw.dataplane.api.GatewaySnapshot#tunnelSecrets
 * OpenVPN secret} ({@link #of(SecretBytes)}); the file format lives here because only OpenVPN reads it. The control
 * plane renders the same format into the client package's .ovpn itself (it may not import a protocol module); the
 * seed interop test connects the stock client with that .ovpn, which is what keeps the two in step.
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

    /** The gateway's key from the snapshot's OpenVPN secret. */
    public static StaticKey of(SecretBytes secret) {
        byte[] b = secret.bytes();
        try {
            return of(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** The key of {@code snapshot}'s OpenVPN secret; empty when the control plane gave none or one of the wrong size. */
    public static Optional<StaticKey> from(io.p2sgw.dataplane.api.GatewaySnapshot snapshot) {
        return snapshot.secretOf(TunnelType.OPENVPN).filter(s -> s.length() == LENGTH).map(StaticKey::of);
    }

    /** A copy of the key bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The key as an OpenVPN static key file body: 16 lines of 32 hex digits between the
     * "-----BEGIN OpenVPN Static key V1-----" markers (openvpn.md §4.1).
     */
    public String toOpenVpnFile() {
        StringBuilder sb = new StringBuilder("-----BEGIN OpenVPN Static key V1-----\n");
        String hex = HexFormat.of().formatHex(bytes);
        for (int i = 0; i < hex.length(); i += 32) {
            sb.append(hex, i, i + 32).append('\n');
        }
        return sb.append("-----END OpenVPN Static key V1-----\n").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StaticKey k && java.security.MessageDigest.isEqual(bytes, k.bytes);
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
