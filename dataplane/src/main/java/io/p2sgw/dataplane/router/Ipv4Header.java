package io.p2sgw.dataplane.router;

import java.nio.ByteBuffer;

/** Just enough of an IPv4 header (RFC 791 §3.1) for routing: version, source, destination. Absolute reads only. */
public final class Ipv4Header {
    /** The minimal IPv4 header: no packet shorter than this is routed. */
    public static final int MIN_LENGTH = 20;

    private Ipv4Header() {}

    /** True when position..limit holds at least a minimal header with version 4. */
    public static boolean isIpv4(ByteBuffer packet) {
        return packet.remaining() >= MIN_LENGTH && ((packet.get(packet.position()) >>> 4) & 0xF) == 4;
    }

    /** The source address; callers check {@link #isIpv4} first. */
    public static long source(ByteBuffer packet) {
        return Integer.toUnsignedLong(packet.getInt(packet.position() + 12));
    }

    public static long destination(ByteBuffer packet) {
        return Integer.toUnsignedLong(packet.getInt(packet.position() + 16));
    }
}
