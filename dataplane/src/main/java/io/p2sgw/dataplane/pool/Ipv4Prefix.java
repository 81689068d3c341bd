package io.p2sgw.dataplane.pool;

import java.util.Optional;

/**
 * An IPv4 prefix such as {@code 172.16.201.0/24}, held as an unsigned 32-bit network address in a long.
 *
 * @param network the network address (host bits zero)
 * @param length  the prefix length, 0..32
 */
public record Ipv4Prefix(long network, int length) {
    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32, got " + length);
        }
        if (network < 0 || network > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not an IPv4 address: " + network);
        }
        if ((network & ~mask(length) & 0xFFFF_FFFFL) != 0) {
            throw new IllegalArgumentException(Ipv4.format(network) + "/" + length + " has host bits set");
        }
    }

    /** Parses "a.b.c.d/n"; host bits must be zero, as ARM requires for address prefixes. */
    public static Ipv4Prefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR prefix: " + cidr);
        }
        int len;
        try {
            len = Integer.parseInt(cidr.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR prefix: " + cidr, e);
        }
        return new Ipv4Prefix(Ipv4.parse(cidr.substring(0, slash).trim()), len);
    }

    /** Parses, or empty for anything that is not an IPv4 CIDR (IPv6 prefixes are skipped by callers). */
    public static Optional<Ipv4Prefix> tryParse(String cidr) {
        try {
            return Optional.of(parse(cidr));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static long mask(int length) {
        return length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
    }

    public long size() {
        return 1L << (32 - length);
    }

    public long first() {
        return network;
    }

    public long last() {
        return network + size() - 1;
    }

    public boolean contains(long address) {
        return address >= first() && address <= last();
    }

    /** The two halves of this prefix (used for the SSTP and active-active splits, azure-p2s.md §2.1). */
    public Ipv4Prefix[] halves() {
        if (length == 32) {
            throw new IllegalArgumentException("a /32 cannot be split");
        }
        long half = size() / 2;
        return new Ipv4Prefix[] {new Ipv4Prefix(network, length + 1), new Ipv4Prefix(network + half, length + 1)};
    }

    @Override
    public String toString() {
        return Ipv4.format(network) + "/" + length;
    }
}
