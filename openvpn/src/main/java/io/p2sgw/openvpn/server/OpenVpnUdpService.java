package io.p2sgw.openvpn.server;

import io.p2sgw.common.concurrent.Ticker;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import io.p2sgw.dataplane.spi.DatagramSender;
import io.p2sgw.dataplane.spi.DatagramService;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.PreAuthBudget;
import io.p2sgw.openvpn.wire.ControlWrap;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenVPN over UDP (1194 by default): one packet per datagram (openvpn.md §2.1). The core owns the sockets and
 * pushes each datagram to the {@link Run} of the current enable ({@link DatagramService}); replies leave through the
 * core's {@link DatagramSender} from the socket the client sent to (openvpn.md §11.15). Sessions are found by the
 * client's {@link DatagramPeer}. A packet from an unknown address costs one HMAC: only a tls-auth/tls-crypt verified
 * client reset creates state, and at most {@code maxHalfOpen} sessions may be in their handshake.
 *
 * <p>The core's pre-authentication budget ({@link GatewayCore#preAuth}, issue 13) sees every such client: a verified
 * reset takes a ticket before a session is made (none over the budget's caps per address and in all), the session is
 * ended if it is not admitted by the ticket's deadline, and admission releases it. Datagrams dropped before any state
 * are counted there by reason: garbage as {@code junk}, a reset whose tls-auth/tls-crypt check fails as
 * {@code bad_hmac} (both were silent in {@code /metrics} before).
 */
public final class OpenVpnUdpService implements DatagramService {
    /** Datagrams larger than this are not OpenVPN packets from a 2.6 client (openvpn.md §2.1). */
    public static final int MAX_DATAGRAM = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(OpenVpnUdpService.class);
    private static final Runnable NOTHING = () -> { };
    /** Why a session is ended at the pre-authentication deadline. */
    static final String NOT_AUTHENTICATED_IN_TIME = "not authenticated within the pre-authentication deadline";

    private final OpenVpnServerConfig config;
    private final TlsServerContext tls;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger peerIds = new AtomicInteger();
    private final AtomicLong sessionsCreated = new AtomicLong();
    private volatile Run current;

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

    @Override
    public List<Integer> ports() {
        return List.of(config.udpPort());
    }

    /** A fresh run with no session: nothing of an earlier enable carries over (issue 12). */
    @Override
    public Run start(DatagramSender sender, GatewayCore core) {
        Run run = new Run(sender, core);
        current = run;
        LOG.info("OpenVPN UDP serving {}", sender.localAddresses());
        return run;
    }

    /** Sessions created since this service was made: each one passed the tls-auth/tls-crypt check (tests, metrics). */
    public long sessionsCreated() {
        return sessionsCreated.get();
    }

    /** Live sessions of the current run (for tests and metrics). */
    public int sessionCount() {
        Run r = current;
        return r == null || r.closed ? 0 : r.sessions.size();
    }

    /**
     * One enable of the service: its sessions, its timer, and the core's sender. The core's reader thread calls
     * {@link #received}; {@link #stopped} ends it for good.
     */
    public final class Run implements DatagramReceiver {
        private final DatagramSender sender;
        private final GatewayCore core;
        private final Map<DatagramPeer, OpenVpnConnection> sessions = new ConcurrentHashMap<>();
        /**
         * A new session from the address of an established one, still in its handshake. The established session
         * stays until the new one authenticates: the reset that starts it only proves knowledge of the tls-auth /
         * tls-crypt key, which every client package holds, so it must not end someone's live session (OpenVPN
         * does the same). Packets are told apart by session id (control) and peer-id (data).
         */
        private final Map<DatagramPeer, OpenVpnConnection> pending = new ConcurrentHashMap<>();
        private final Ticker<OpenVpnConnection> ticker = new Ticker<>("openvpn-udp-timer");
        private volatile boolean closed;

        private Run(DatagramSender sender, GatewayCore core) {
            this.sender = sender;
            this.core = core;
        }

        @Override
        public void received(ByteBuffer datagram, DatagramPeer from) {
            int len = datagram.remaining();
            if (closed) {
                return;
            }
            if (len == 0 || len > MAX_DATAGRAM) {
                core.preAuth().refused(PreAuthBudget.Transport.UDP, from.remote(), PreAuthBudget.Refusal.JUNK);
                return;
            }
            // The datagram stays in the core's receive buffer: a session decrypts data packets straight from it.
            onDatagram(from, datagram.array(), datagram.arrayOffset() + datagram.position(), len);
        }

        private void onDatagram(DatagramPeer from, byte[] buf, int off, int len) {
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
                    if (newSession(from, packet, false)) {
                        c.transportClosed("client restarted with a new session");
                    }
                } else {
                    // A restarted client, or anyone with the static key spoofing its address: the live session
                    // stays until the new one authenticates (promoteIfAuthenticated).
                    newSession(from, packet, true);
                }
                return;
            }
            if (c != null) {
                c.onControlLater(packet, NOTHING);
                return;
            }
            newSession(from, packet, false);
        }

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
        private void promoteIfAuthenticated(DatagramPeer from, OpenVpnConnection p) {
            // Only an authenticated session takes over; a refused one (closing after AUTH_FAILED) never does.
            if (!p.active() || !pending.remove(from, p)) {
                return;
            }
            OpenVpnConnection old = sessions.put(from, p);
            if (old != null && old != p) {
                ticker.remove(old);
                old.transportClosed("client restarted with a new session");
            }
        }

        private boolean newSession(DatagramPeer from, byte[] packet, boolean asPending) {
            PreAuthBudget budget = core.preAuth();
            if (!WrapDetector.isClientReset(packet)) {
                // Not how a session starts, from an address that has none: garbage (or a stray of an ended one).
                budget.refused(PreAuthBudget.Transport.UDP, from.remote(), PreAuthBudget.Refusal.JUNK);
                return false;
            }
            long halfOpen = sessions.values().stream().filter(OpenVpnConnection::inHandshake).count() + pending.size();
            if (halfOpen >= config.maxHalfOpen()) {
                budget.refused(PreAuthBudget.Transport.UDP, from.remote(), PreAuthBudget.Refusal.TOTAL_CAP);
                return false;
            }
            Optional<GatewaySnapshot> snapshot = core.snapshot();
            if (snapshot.isEmpty()) {
                return false;
            }
            Optional<ControlWrap> wrap = WrapDetector.detect(snapshot.get(), packet, config.clock().millis() / 1000);
            if (wrap.isEmpty()) {
                budget.refused(PreAuthBudget.Transport.UDP, from.remote(), PreAuthBudget.Refusal.BAD_HMAC);
                return false;
            }
            // A place in the core's budget before any session state; at its deadline the session ends (off the
            // core's timer thread: ending takes the session's lock, which a handshake step may hold for milliseconds).
            AtomicReference<OpenVpnConnection> made = new AtomicReference<>();
            Optional<PreAuthBudget.Ticket> ticket = budget.enter(PreAuthBudget.Transport.UDP, from.remote(), () -> {
                OpenVpnConnection x = made.get();
                if (x != null) {
                    Thread.startVirtualThread(() -> x.transportClosed(NOT_AUTHENTICATED_IN_TIME));
                }
            });
            if (ticket.isEmpty()) {
                return false; // over the caps; counted and logged by the core
            }
            Transport transport = new DatagramTransport(sender, from);
            OpenVpnConnection conn = new OpenVpnConnection(wrap.get(), tls, config, core, from.remote(), transport,
                    peerIds.getAndIncrement() & 0xFFFFFF, random, ended -> {
                        sessions.remove(from, ended);
                        pending.remove(from, ended);
                        ticker.remove(ended);
                        ticket.get().release();
                    }, packet);
            made.set(conn);
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

        /** Ends every session (telling each client to reconnect) and the timer; later datagrams are ignored. */
        @Override
        public void stopped(String reason) {
            closed = true;
            for (OpenVpnConnection c : List.copyOf(sessions.values())) {
                c.shutdown("server shutting down");
            }
            for (OpenVpnConnection c : List.copyOf(pending.values())) {
                c.shutdown("server shutting down");
            }
            sessions.clear();
            pending.clear();
            ticker.close();
            LOG.info("OpenVPN UDP stopped: {}", reason);
        }
    }

    /**
     * Sends one session's packets through the core's sender, from the socket the client talks to. The session calls
     * it with its lock held (one caller at a time) and mostly with the same transmit array, so one view per array
     * serves every packet. Packets the core's TUN reader produces are queued ({@link #queue}) and leave with the
     * burst's flush: the first session flushed sends every session's datagrams of that socket in one sendmmsg.
     */
    private static final class DatagramTransport implements Transport {
        @Override
        public PreAuthBudget.Transport kind() {
            return PreAuthBudget.Transport.UDP;
        }

        private final DatagramSender sender;
        private final DatagramPeer to;
        private byte[] viewArray;
        private ByteBuffer view;

        DatagramTransport(DatagramSender sender, DatagramPeer to) {
            this.sender = sender;
            this.to = to;
        }

        private ByteBuffer view(byte[] b, int off, int len) {
            if (b != viewArray) {
                viewArray = b;
                view = ByteBuffer.wrap(b);
            }
            return view.clear().position(off).limit(off + len);
        }

        @Override
        public void send(byte[] b, int off, int len) {
            // UDP: a lost packet is retransmitted or the peer times out
            sender.send(view(b, off, len), to);
        }

        @Override
        public void queue(byte[] b, int off, int len, int plainBytes) {
            sender.queue(view(b, off, len), to);
        }

        @Override
        public void flush() {
            sender.flush();
        }

        @Override
        public void close() {
            // the sockets are the core's
        }
    }
}
