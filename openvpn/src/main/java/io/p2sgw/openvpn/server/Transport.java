package io.p2sgw.openvpn.server;

/** How a connection's packets leave: a TCP stream (length-prefixed) or a UDP socket. */
interface Transport {
    /** Sends {@code buf[off..off+len)}; {@code off >= 2} (room for the TCP length prefix). Never throws. */
    void send(byte[] buf, int off, int len);

    void close();
}
