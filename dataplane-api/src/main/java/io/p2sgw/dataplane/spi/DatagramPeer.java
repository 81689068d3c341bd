package io.p2sgw.dataplane.spi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Who a datagram came from and on which of the core's sockets: the client's IPv4 address and port, and the local
 * address and port it was sent to. Replies to a peer leave from that same socket ({@link DatagramSender#send}), so
 * a client always hears from the address and port it talks to (IKE on 500 and 4500, RFC 7296 §2.11 and RFC 3948;
 * OpenVPN, openvpn.md §11.15).
 *
 * <p>The core makes one peer object the first time an address appears on a socket and hands the same object for
 * every later datagram from it, so a protocol may key its sessions by peer without a lookup allocating (equality and
 * hash are by value: address, port and socket; the hash is computed once). The {@link InetSocketAddress} forms are
 * made with the peer, for logs and admission requests. IPv4 only, as the core's sockets are.
 */
public final class DatagramPeer {
    private final int ipv4;
    private final int port;
    private final int socket;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final int hash;

    /**
     * Made by the core's datagram transport.
     *
     * @param ipv4   the client's address, most significant byte first
     * @param port   the client's port
     * @param socket the core's number for the local socket the datagram came in on
     * @param local  that socket's address and port
     */
    public DatagramPeer(int ipv4, int port, int socket, InetSocketAddress local) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port);
        }
        this.ipv4 = ipv4;
        this.port = port;
        this.socket = socket;
        this.local = local;
        this.remote = new InetSocketAddress(toInetAddress(ipv4), port);
        this.hash = Long.hashCode(key(ipv4, port)) * 31 + socket;
    }

    /** The client's IPv4 address and port packed in one long: {@code address << 16 | port}. */
    public static long key(int ipv4, int port) {
        return (ipv4 & 0xFFFF_FFFFL) << 16 | port;
    }

    /** {@link #key(int, int)} of this peer. */
    public long key() {
        return key(ipv4, port);
    }

    /** The client's IPv4 address, most significant byte first. */
    public int ipv4() {
        return ipv4;
    }

    /** The client's UDP port. */
    public int port() {
        return port;
    }

    /** The client's address and port. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** The local address and port the client sends to (and replies leave from). */
    public InetSocketAddress local() {
        return local;
    }

    /** The local port the client sends to: IKE tells 500 from 4500 by it (RFC 3948 §2.2, non-ESP marker only on 4500). */
    public int localPort() {
        return local.getPort();
    }

    /** The core's number for the local socket (what {@link DatagramSender} sends through). */
    public int socket() {
        return socket;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatagramPeer p && p.ipv4 == ipv4 && p.port == port && p.socket == socket;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return remote.getAddress().getHostAddress() + ":" + port + " (to " + local.getAddress().getHostAddress() + ":"
                + local.getPort() + ")";
    }

    private static InetAddress toInetAddress(int ipv4) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
