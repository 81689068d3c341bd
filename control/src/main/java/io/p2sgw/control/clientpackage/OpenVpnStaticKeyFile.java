package io.p2sgw.control.clientpackage;

import io.p2sgw.dataplane.api.SecretBytes;
import java.util.HexFormat;

/**
 * The gateway's OpenVPN static key as client profiles carry it. The control plane stores and ships the key as raw
 * bytes ({@link SecretBytes}); the "OpenVPN Static key V1" file format belongs to OpenVPN, and this is the one place
 * the control plane writes it: into the .ovpn's {@code <tls-auth>}/{@code <tls-crypt>} block and, as hex, into the
 * Azure VPN Client profile. (Control may not import the openvpn module, which reads the same format; the seed interop
 * test connects the stock client with a rendered .ovpn.)
 */
public final class OpenVpnStaticKeyFile {
    /** A static key is 2048 bits (openvpn.md §4.1). */
    public static final int LENGTH = 256;
    /** Hex digits per line in the file, as {@code openvpn --genkey} writes it. */
    private static final int HEX_PER_LINE = 32;

    private OpenVpnStaticKeyFile() {}

    /**
     * The key file body: 16 lines of 32 hex digits between the "-----BEGIN OpenVPN Static key V1-----" markers
     * (openvpn.md §4.1).
     */
    public static String render(SecretBytes key) {
        String hex = hex(key);
        StringBuilder sb = new StringBuilder("-----BEGIN OpenVPN Static key V1-----\n");
        for (int i = 0; i < hex.length(); i += HEX_PER_LINE) {
            sb.append(hex, i, Math.min(hex.length(), i + HEX_PER_LINE)).append('\n');
        }
        return sb.append("-----END OpenVPN Static key V1-----\n").toString();
    }

    /** The key as 512 hex digits (Azure VPN Client profile {@code serversecret}, azure-p2s.md §3.5). */
    public static String hex(SecretBytes key) {
        if (key.length() != LENGTH) {
            throw new IllegalArgumentException("an OpenVPN static key is " + LENGTH + " bytes, got " + key.length());
        }
        return HexFormat.of().formatHex(key.bytes());
    }
}
