package io.p2sgw.dataplane.router;

/** Why the router dropped a packet; a metric tag. */
public enum DropReason {
    /** A client sent a packet whose source is not its own pool address (anti-spoofing). */
    SPOOFED_SOURCE("spoofed_source"),
    /** Not IPv4 or shorter than an IPv4 header. */
    NOT_IPV4("not_ipv4"),
    /** A packet from the TUN for an address no session owns. */
    NO_SESSION("no_session"),
    /** The TUN is not open (no privilege, or stopped). */
    NO_TUN("no_tun"),
    /** Writing to the TUN failed. */
    TUN_WRITE_ERROR("tun_write_error"),
    /**
     * A TCP client's connection was full (the client reads slower than its traffic arrives, or not at all): the
     * packet, or the batch it was written with, was dropped rather than make the TUN reader wait.
     */
    CLIENT_NOT_READING("client_not_reading");

    private final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
