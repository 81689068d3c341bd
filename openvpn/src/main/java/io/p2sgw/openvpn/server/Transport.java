package io.p2sgw.openvpn.server;

/** How a connection's packets leave: a TCP stream (length-prefixed) or a UDP socket. */
interface Transport {
    /** Sends {@code buf[off..off+len)} now (after anything queued); {@code off >= 2} (room for the TCP length prefix). Never throws. */
    void send(byte[] buf, int off, int len);

    /**
     * Sends {@code buf[off..off+len)}, a data packet carrying an IP packet of {@code plainBytes} from the core, by the
     * next {@link #flush} at the latest; the bytes are copied before this returns. A datagram transport sends at once
     * (default). A transport that drops the packet after all (its write dropped the batch that held it) reports it to
     * the {@link #reportDropsTo sink}, with {@code plainBytes}, so the session's egress counters leave it out.
     */
    default void queue(byte[] buf, int off, int len, int plainBytes) {
        send(buf, off, len);
    }

    /** Where data packets from the core that this transport dropped are reported (the session's counters). */
    @FunctionalInterface
    interface DataDrops {
        void dropped(int packets, long plainBytes);
    }

    /** Sets where this transport reports dropped data packets; a transport that never drops them ignores it. */
    default void reportDropsTo(DataDrops sink) {
    }

    /**
     * Sends one control-channel packet now (after anything queued), like {@link #send}, but a stream transport keeps
     * it for a client that is slow to read instead of dropping it (StreamWriter#writeReliably). A datagram transport
     * sends at once (default).
     */
    default void sendControl(byte[] buf, int off, int len) {
        send(buf, off, len);
    }

    /** Writes what {@link #queue} holds. Never throws. */
    default void flush() {
    }

    void close();

    /** Which transport this is, for the core's pre-authentication counters (issue 13). */
    io.p2sgw.dataplane.spi.PreAuthBudget.Transport kind();
}
