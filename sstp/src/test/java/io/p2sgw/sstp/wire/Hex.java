package io.p2sgw.sstp.wire;

import java.util.HexFormat;

/** Test helper: hex with spaces allowed, as the byte templates in sstp.md are written. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
