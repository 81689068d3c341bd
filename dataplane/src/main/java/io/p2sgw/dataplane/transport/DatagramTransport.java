package io.p2sgw.dataplane.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's UDP transport (DESIGN.md "Two planes": the core owns the sockets): binds the ports of each datagram
 * service per local address, reads them all, and gives the service a {@link DatagramEndpoint} to send through.
 *
 * <p>On Linux with the FFM API ({@link #batched()}) the sockets are our own descriptors, read by one thread with
 * {@code recvmmsg(2)} ({@link NativeDatagramReader}) and written with {@code sendmmsg(2)} ({@link NativeUdpSocket}).
 * Elsewhere each socket is a {@code DatagramChannel} read by a virtual thread ({@link ChannelUdpSocket}).
 *
 * <p>With the wildcard address every local IPv4 address gets its own socket, so a reply leaves from the address the
 * client sent to (a multi-homed gateway answering from another one is dropped by the client's NAT; openvpn.md
 * §11.15). Addresses that appear later are not served until the service is started again. IPv4 only.
 */
public final class DatagramTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramTransport.class);

    private final AtomicInteger socketIds = new AtomicInteger();
    private final boolean batched;
    private NativeDatagramReader reader;
    private boolean closed;

    private DatagramTransport(boolean batched) {
        this.batched = batched;
    }

    /** The batched FFM transport where it can be had, the DatagramChannel one otherwise (logged once). */
    public static DatagramTransport create() {
        Optional<String> why = NativeUdpSocket.unavailableBecause();
        if (why.isPresent()) {
            LOG.warn("UDP sockets are read by a virtual thread each, one datagram per call, not with recvmmsg ({})",
                    why.get());
            return new DatagramTransport(false);
        }
        return new DatagramTransport(true);
    }

    /** The DatagramChannel transport whatever the platform offers (tests of the fallback). */
    public static DatagramTransport fallback() {
        return new DatagramTransport(false);
    }

    /** Whether sockets are read and written in batches through FFM. */
    public boolean batched() {
        return batched;
    }

    /**
     * Binds {@code ports} on {@code address} (each local IPv4 address when it is the wildcard); a port 0 becomes one
     * ephemeral port, the same on every address. Nothing is read until {@link DatagramEndpoint#start}. On failure
     * nothing stays bound.
     *
     * @param service name for logs
     */
    public synchronized DatagramEndpoint bind(String service, InetAddress address, List<Integer> ports) throws IOException {
        if (closed) {
            throw new IOException("the datagram transport is closed");
        }
        List<Inet4Address> addresses = address.isAnyLocalAddress() ? localIpv4Addresses() : List.of(ipv4(address));
        List<UdpSocket> bound = new ArrayList<>();
        ReentrantLock delivery = new ReentrantLock();
        try {
            for (int asked : ports) {
                int port = asked;
                for (Inet4Address a : addresses) {
                    UdpSocket s = open(a, port, service, delivery);
                    bound.add(s);
                    port = s.local.getPort(); // same port on every address
                }
            }
        } catch (IOException | RuntimeException e) {
            bound.forEach(UdpSocket::close);
            throw e;
        }
        return new DatagramEndpoint(bound);
    }

    private UdpSocket open(Inet4Address a, int port, String service, ReentrantLock delivery) throws IOException {
        int id = socketIds.incrementAndGet();
        if (!batched) {
            return ChannelUdpSocket.bind(id, a, port, service, delivery);
        }
        if (reader == null) {
            reader = new NativeDatagramReader();
        }
        return NativeUdpSocket.bind(id, a, port, service, reader);
    }

    /** Stops the reader thread; the endpoints are closed by their owners first. */
    @Override
    public synchronized void close() {
        closed = true;
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    private static Inet4Address ipv4(InetAddress a) throws IOException {
        if (a instanceof Inet4Address v4) {
            return v4;
        }
        throw new IOException("UDP services bind IPv4 addresses only, not " + a.getHostAddress());
    }

    private static List<Inet4Address> localIpv4Addresses() throws IOException {
        List<Inet4Address> out = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address v4) {
                    out.add(v4);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no local IPv4 address to bind UDP to");
        }
        return out;
    }
}
