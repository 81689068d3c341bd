package io.p2sgw.openvpn.server;

import io.p2sgw.common.concurrent.Ticker;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.DatagramService;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.openvpn.wire.ControlWrap;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenVPN over UDP (1194 by default): one packet per datagram (openvpn.md §2.1). Sessions are found by
 * the client's address. A packet from an unknown address costs one HMAC: only a tls-auth/tls-crypt
 * verified client reset creates state, and at most {@code maxHalfOpen} sessions may be in their handshake.
 * Replies leave from the address the client sent to: with a wildcard bind address there is one socket
 * per local IPv4 address (openvpn.md §11.15).
 */
public final class OpenVpnUdpService implements DatagramService {
    /** Datagrams larger than this are not OpenVPN packets from a 2.6 client (openvpn.md §2.1). */
    public static final int MAX_DATAGRAM = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(OpenVpnUdpService.class);

    private final OpenVpnServerConfig config;
    private final TlsServerContext tls;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger peerIds = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong sessionsCreated = new java.util.concurrent.atomic.AtomicLong();
    private final Map<SocketAddress, OpenVpnConnection> sessions = new ConcurrentHashMap<>();
    /**
     * A new session from the address of an established one, still in its handshake. The established session
     * stays until the new one authenticates: the reset that starts it only proves knowledge of the tls-auth /
     * tls-crypt key, which every client package holds, so it must not end someone's live session (OpenVPN
     * does the same). Packets are told apart by session id (control) and peer-id (data).
     */
    private final Map<SocketAddress, OpenVpnConnection> pending = new ConcurrentHashMap<>();
    private final List<DatagramChannel> channels = Collections.synchronizedList(new ArrayList<>());
    private volatile Ticker<OpenVpnConnection> ticker;
    private volatile boolean closed;

    public OpenVpnUdpService(OpenVpnServerConfig config) throws GeneralSecurityException {
        this.config = config;
        this.tls = new TlsServerContext(new ServerIdentity(config.serverKey(), config.serverChain()), random);
    }

    @Override
    public String name() {
        return "OpenVPN/UDP";
    }

    @Override
    public TunnelType tunnelType() {
        return TunnelType.OPENVPN;
    }

    /** The ports actually bound (useful with port 0 in tests). */
    public List<InetSocketAddress> localAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        synchronized (channels) {
            for (DatagramChannel c : channels) {
                try {
                    out.add((InetSocketAddress) c.getLocalAddress());
                } catch (IOException e) {
                    // closed
                }
            }
        }
        return out;
    }

    /** Sessions created since start: each one passed the tls-auth/tls-crypt check (tests, metrics). */
    public long sessionsCreated() {
        return sessionsCreated.get();
    }

    /** Live sessions (for tests and metrics). */
    public int sessionCount() {
        return sessions.size();
    }

    @Override
    public void start(InetAddress bindAddress, GatewayCore core) throws IOException {
        ticker = new Ticker<>("openvpn-udp-timer");
        List<InetAddress> addresses = bindAddress.isAnyLocalAddress() ? localIpv4Addresses() : List.of(bindAddress);
        int port = config.udpPort();
        for (InetAddress a : addresses) {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
            ch.bind(new InetSocketAddress(a, port));
            if (port == 0) {
                port = ((InetSocketAddress) ch.getLocalAddress()).getPort(); // same port on every address
            }
            channels.add(ch);
            Thread.ofPlatform().daemon().name("openvpn-udp-" + a.getHostAddress()).start(() -> receiveLoop(ch, core));
        }
        LOG.info("OpenVPN UDP listening on " + localAddresses());
    }

    private void receiveLoop(DatagramChannel ch, GatewayCore core) {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM + 1);
        while (!closed) {
            SocketAddress from;
            try {
                buf.clear();
                from = ch.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            buf.flip();
            if (from == null || buf.remaining() == 0 || buf.remaining() > MAX_DATAGRAM) {
                continue;
            }
            try {
                // The datagram stays in the receive buffer: a session decrypts data packets straight from it.
                onDatagram(ch, (InetSocketAddress) from, buf.array(), buf.arrayOffset() + buf.position(), buf.remaining(), core);
            } catch (RuntimeException e) {
                LOG.warn("OpenVPN UDP " + from + ": packet handling failed", e);
            }
        }
    }

    private void onDatagram(DatagramChannel ch, InetSocketAddress from, byte[] buf, int off, int len, GatewayCore core) {
        OpenVpnConnection c = sessions.get(from);
        OpenVpnConnection p = pending.isEmpty() ? null : pending.get(from);
        // Data packets are handled here, straight from the receive buffer; control packets (handshakes, acks,
        // renegotiation) are copied and handled on the connection's own virtual thread (onControlLater).
        boolean data = Opcode.isData(buf[off]);
        if (p != null && belongsTo(p, buf, off, len)) {
            if (data) {
                p.onPacket(buf, off, len);
            } else {
                p.onControlLater(Arrays.copyOfRange(buf, off, off + len), () -> promoteIfAuthenticated(from, p));
            }
            return;
        }
        boolean reset = buf[off] == Opcode.CONTROL_HARD_RESET_CLIENT_V2.firstByte(0);
        if (c != null && !reset) {
            if (data) {
                c.onPacket(buf, off, len);
            } else {
                c.onControlLater(Arrays.copyOfRange(buf, off, off + len), NOTHING);
            }
            return;
        }
        // Only client resets can start a session; they are rare, so they are copied.
        byte[] packet = Arrays.copyOfRange(buf, off, off + len);
        if (c != null && WrapDetector.sessionIdOf(packet) != c.remoteSessionId()) {
            if (!c.active()) {
                // The old one is not an authenticated live session: nothing to protect, the client started over.
                if (newSession(ch, from, packet, core, false)) {
                    c.transportClosed("client restarted with a new session");
                }
            } else {
                // A restarted client, or anyone with the static key spoofing its address: the live session
                // stays until the new one authenticates (promoteIfAuthenticated).
                newSession(ch, from, packet, core, true);
            }
            return;
        }
        if (c != null) {
            c.onControlLater(packet, NOTHING);
            return;
        }
        newSession(ch, from, packet, core, false);
    }

    private static final Runnable NOTHING = () -> { };

    /** Whether a packet from a shared address is the pending session's: its session id or its peer-id. */
    private static boolean belongsTo(OpenVpnConnection p, byte[] buf, int off, int len) {
        Opcode op = Opcode.ofFirstByteOrNull(buf[off]);
        if (op == null) {
            return false;
        }
        if (op == Opcode.DATA_V2) {
            return len >= 4 && (((buf[off + 1] & 0xFF) << 16) | ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF)) == p.peerId();
        }
        if (op == Opcode.DATA_V1 || len < 9) {
            return false;
        }
        return WrapDetector.sessionIdOf(buf, off, len) == p.remoteSessionId();
    }

    /** The pending session authenticated: it takes the address over and the old session ends. */
    private void promoteIfAuthenticated(InetSocketAddress from, OpenVpnConnection p) {
        // Only an authenticated session takes over; a refused one (closing after AUTH_FAILED) never does.
        if (!p.active() || !pending.remove(from, p)) {
            return;
        }
        OpenVpnConnection old = sessions.put(from, p);
        if (old != null && old != p) {
            Ticker<OpenVpnConnection> t = ticker;
            if (t != null) {
                t.remove(old);
            }
            old.transportClosed("client restarted with a new session");
        }
    }

    private boolean newSession(DatagramChannel ch, InetSocketAddress from, byte[] packet, GatewayCore core, boolean asPending) {
        if (!WrapDetector.isClientReset(packet)) {
            return false;
        }
        long halfOpen = sessions.values().stream().filter(OpenVpnConnection::inHandshake).count() + pending.size();
        if (halfOpen >= config.maxHalfOpen()) {
            return false;
        }
        Optional<GatewaySnapshot> snapshot = core.snapshot();
        if (snapshot.isEmpty()) {
            return false;
        }
        Optional<ControlWrap> wrap = WrapDetector.detect(snapshot.get(), packet, config.clock().millis() / 1000);
        if (wrap.isEmpty()) {
            return false;
        }
        Transport transport = new DatagramTransport(ch, from);
        OpenVpnConnection conn = new OpenVpnConnection(wrap.get(), tls, config, core, from, transport,
                peerIds.getAndIncrement() & 0xFFFFFF, random, ended -> {
                    sessions.remove(from, ended);
                    pending.remove(from, ended);
                    Ticker<OpenVpnConnection> t = ticker;
                    if (t != null) {
                        t.remove(ended);
                    }
                }, packet);
        sessionsCreated.incrementAndGet();
        OpenVpnConnection old = asPending ? pending.put(from, conn) : sessions.put(from, conn);
        if (old != null) {
            ticker.remove(old);
            if (asPending) {
                old.transportClosed("superseded by a newer session from the same address");
            }
        }
        ticker.add(conn);
        conn.onControlLater(packet, () -> promoteIfAuthenticated(from, conn));
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (OpenVpnConnection c : List.copyOf(sessions.values())) {
            c.shutdown("server shutting down");
        }
        for (OpenVpnConnection c : List.copyOf(pending.values())) {
            c.shutdown("server shutting down");
        }
        sessions.clear();
        pending.clear();
        synchronized (channels) {
            for (DatagramChannel ch : channels) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            channels.clear();
        }
        Ticker<OpenVpnConnection> t = ticker;
        if (t != null) {
            t.close();
        }
    }

    /**
     * Sends one session's packets from the socket the client talks to. The session calls it with its lock held (one
     * caller at a time) and mostly with the same transmit array, so one view per array serves every packet.
     */
    private static final class DatagramTransport implements Transport {
        private final DatagramChannel channel;
        private final InetSocketAddress to;
        private byte[] viewArray;
        private ByteBuffer view;

        DatagramTransport(DatagramChannel channel, InetSocketAddress to) {
            this.channel = channel;
            this.to = to;
        }

        @Override
        public void send(byte[] b, int off, int len) {
            if (b != viewArray) {
                viewArray = b;
                view = ByteBuffer.wrap(b);
            }
            view.clear().position(off).limit(off + len);
            try {
                channel.send(view, to);
            } catch (IOException e) {
                // UDP: a lost packet is retransmitted or the peer times out
            }
        }

        @Override
        public void close() {
            // the socket is shared
        }
    }

    private static List<InetAddress> localIpv4Addresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    out.add(a);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no local IPv4 address to bind OpenVPN UDP to");
        }
        return out;
    }
}
