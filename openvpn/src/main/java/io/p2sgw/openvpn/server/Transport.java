package io.p2sgw.openvpn.server;

/** How a connection's packets leave: a TCP stream (length-prefixed) or a UDP socket. */
interface Transport {
    /** Sends {@code buf[off..off+len)} now (after anything queued); {@code off >= 2} (room for the TCP length prefix). Never throws. */
    void send(byte[] buf, int off, int len);

    /**
     * Sends {@code buf[off..off+len)} by the next {@link #flush} at the latest; the bytes are copied before this
     * returns. A datagram transport sends at once (default).
     */
    default void queue(byte[] buf, int off, int len) {
        send(buf, off, len);
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
}
