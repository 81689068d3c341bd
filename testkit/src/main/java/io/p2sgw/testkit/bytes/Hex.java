package io.p2sgw.testkit.bytes;

import java.util.HexFormat;

/**
 * Hex for byte templates in tests, written as the specs write them: white space between groups is allowed
 * ({@code "0000 0030 ..."}, as sstp.md's and RFC 7296's examples are laid out).
 */
public final class Hex {
    private Hex() {
    }

    /** The bytes of {@code hex}, white space ignored; either case. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    /** Lower-case hex, no separators. */
    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The bytes of these values, each cut to its low eight bits ({@code bytes(0x01, 0xff)}). */
    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
