package io.p2sgw.openvpn.wire;

import java.util.Optional;

/**
 * The OCC options string exchanged in key method 2 (openvpn.md §5.3). Its content is cosmetic except
 * for {@code cipher} (poor-man's NCP fallback) and {@code comp-lzo} (compression we refuse).
 */
public final class OptionsString {
    private OptionsString() {}

    /** The server's string: the client's mirrored, as a 2.6 server sends it (§5.3). */
    public static String mirror(String clientOptions) {
        return clientOptions.replace("_CLIENT", "_SERVER").replace("tls-client", "tls-server");
    }

    /** The value of {@code cipher X} in the string, if any. */
    public static Optional<String> cipher(String options) {
        for (String part : options.split(",")) {
            if (part.startsWith("cipher ")) {
                return Optional.of(part.substring("cipher ".length()).strip());
            }
        }
        return Optional.empty();
    }

    /** Whether the client insists on compression framing (§7.3, §11.11). */
    public static boolean wantsCompression(String options) {
        for (String part : options.split(",")) {
            if (part.equals("comp-lzo") || part.startsWith("compress")) {
                return true;
            }
        }
        return false;
    }
}
