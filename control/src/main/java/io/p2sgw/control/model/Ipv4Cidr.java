package io.p2sgw.control.model;

import io.p2sgw.control.ArmException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 prefix in CIDR notation, as used by {@code addressPrefixes}, subnets, the client pool and
 * custom routes. Parsing is strict: four decimal octets 0-255, a length 0-32, and no host bits set
 * (ARM rejects "10.1.0.5/16" as well).
 */
public record Ipv4Cidr(int address, int prefixLength) implements Comparable<Ipv4Cidr> {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final int MAX_TEXT_LENGTH = 18;

    /** RFC 1918 private ranges: the client pool must lie in one of them (azure-p2s.md §2.1). */
    public static final List<Ipv4Cidr> PRIVATE_RANGES = List.of(
            new Ipv4Cidr(0x0A000000, 8), new Ipv4Cidr(0xAC100000, 12), new Ipv4Cidr(0xC0A80000, 16));

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
        if ((address & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits set");
        }
    }

    public static Optional<Ipv4Cidr> tryParse(String text) {
        if (text == null || text.length() > MAX_TEXT_LENGTH) {
            return Optional.empty();
        }
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int addr = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return Optional.empty();
            }
            addr = (addr << 8) | octet;
        }
        int len = Integer.parseInt(m.group(5));
        if (len > 32 || (addr & ~mask(len)) != 0) {
            return Optional.empty();
        }
        return Optional.of(new Ipv4Cidr(addr, len));
    }

    /** Parses or fails with ARM's 400 for an address prefix that is not a valid CIDR. */
    public static Ipv4Cidr parse(String text, String what) {
        return tryParse(text).orElseThrow(() -> ArmException.badRequest("InvalidAddressPrefixFormat",
                "Address prefix " + text + " of " + what + " is not formatted correctly. It must be an IPv4 CIDR such as 10.1.0.0/16, without host bits set."));
    }

    /** Strict dotted-quad IPv4 address check (DNS servers). */
    public static boolean isIpv4Address(String text) {
        return text != null && tryParse(text + "/32").isPresent();
    }

    static int mask(int len) {
        return len == 0 ? 0 : -1 << (32 - len);
    }

    public long first() {
        return Integer.toUnsignedLong(address);
    }

    public long last() {
        return first() + (1L << (32 - prefixLength)) - 1;
    }

    public boolean contains(Ipv4Cidr other) {
        return other.prefixLength >= prefixLength && other.first() >= first() && other.last() <= last();
    }

    public boolean overlaps(Ipv4Cidr other) {
        return first() <= other.last() && other.first() <= last();
    }

    public boolean isPrivate() {
        return PRIVATE_RANGES.stream().anyMatch(r -> r.contains(this));
    }

    @Override
    public int compareTo(Ipv4Cidr o) {
        int c = Long.compare(first(), o.first());
        return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
    }

    @Override
    public String toString() {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF) + "/" + prefixLength;
    }
}
