package io.p2sgw.control.clientpackage;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Escaping and address helpers shared by the profile renderers. */
final class Text {
    private Text() {
    }

    /** XML character data / attribute escaping (&amp;, &lt;, &gt;, quotes). */
    static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A PowerShell single-quoted string literal ({@code '} doubled). */
    static String ps(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** A PowerShell array literal of single-quoted strings. */
    static String psArray(List<String> items) {
        return "@(" + String.join(", ", items.stream().map(Text::ps).toList()) + ")";
    }

    /**
     * "10.1.0.0/16" as OpenVPN's "10.1.0.0 255.255.0.0" (IPv4), or empty for anything else (IPv6
     * prefixes are written as route-ipv6 by the caller).
     */
    static Optional<String> ipv4RouteArgs(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || cidr.contains(":")) {
            return Optional.empty();
        }
        int bits;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (bits < 0 || bits > 32) {
            return Optional.empty();
        }
        long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
        String m = String.format(Locale.ROOT, "%d.%d.%d.%d", mask >>> 24, (mask >>> 16) & 0xff, (mask >>> 8) & 0xff, mask & 0xff);
        return Optional.of(cidr.substring(0, slash) + " " + m);
    }

    /** A name safe to use as a file name and as a swanctl section name. */
    static String safeName(String s) {
        String n = s.replaceAll("[^A-Za-z0-9_.-]", "_");
        return n.isEmpty() ? "p2sgw" : n;
    }
}
