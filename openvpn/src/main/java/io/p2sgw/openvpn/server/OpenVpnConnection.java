package io.p2sgw.openvpn.server;

import io.p2sgw.common.concurrent.SerialQueue;
import io.p2sgw.common.concurrent.Ticker;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.PreAuthBudget;
import io.p2sgw.dataplane.spi.RefusalReason;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import io.p2sgw.openvpn.engine.AuthDecision;
import io.p2sgw.openvpn.engine.OpenVpnSession;
import io.p2sgw.openvpn.engine.PushConfig;
import io.p2sgw.openvpn.engine.SessionHost;
import io.p2sgw.openvpn.wire.ControlWrap;
import io.p2sgw.tls.TlsServerContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Binds one {@link OpenVpnSession} to its transport and to the data-plane core: it is the session's
 * {@link SessionHost} and the core's {@link TunnelEndpoint}. All engine calls are serialized by one lock.
 */
final class OpenVpnConnection implements SessionHost, TunnelEndpoint, Ticker.Tickable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenVpnConnection.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final OpenVpnSession session;
    private final Transport transport;
    private final GatewayCore core;
    private final InetSocketAddress remote;
    private final Clock clock;
    private final Consumer<OpenVpnConnection> onEnd;
    private volatile Optional<SessionHandle> handle = Optional.empty();
    /** Control packets waiting for the connection's control thread ({@link #onControlLater}). */
    private final SerialQueue<QueuedControl> controlQueue;
    /** The most control packets {@link #onControlLater} keeps waiting (a client sends a few at a time). */
    static final int MAX_QUEUED_CONTROL = 64;
    private final long clientSessionId;
    /** True while the core's sendToClient runs (guarded by {@link #lock}): its packet may wait for flushToClient. */
    private boolean fromCore;
    /** The length of the core's packet being sent while {@link #fromCore}; guarded by {@link #lock}. */
    private int corePlainBytes;
    private volatile String name;
    /**
     * The array behind {@link #deliverView}, and whether the view holds a decrypted packet not yet handed to the
     * core: set by {@link #deliver} inside {@link #onPacket}, taken by that call before it lets go of the lock; all
     * three guarded by {@link #lock}.
     */
    private byte[] deliverArray;
    private ByteBuffer deliverView;
    private boolean deliveryPending;

    /**
     * @param clientReset the client's hard reset that starts the connection (already checked by {@link WrapDetector}):
     *                    its session id is the connection's for good
     */
    OpenVpnConnection(ControlWrap wrap, TlsServerContext tls, OpenVpnServerConfig config, GatewayCore core,
            InetSocketAddress remote, Transport transport, int peerId, SecureRandom random, Consumer<OpenVpnConnection> onEnd,
            byte[] clientReset) {
        this.clientSessionId = WrapDetector.sessionIdOf(clientReset);
        this.transport = transport;
        this.core = core;
        this.remote = remote;
        this.clock = config.clock();
        this.onEnd = onEnd;
        this.name = "OpenVPN " + remote + " (" + wrap.name() + ")";
        this.session = new OpenVpnSession(wrap, tls, this, config.settings(), random, peerId, name, clock.millis());
        transport.reportDropsTo(this::droppedToClient);
        this.controlQueue = new SerialQueue<>(MAX_QUEUED_CONTROL, "openvpn-control", q -> {
            onPacket(q.packet(), 0, q.packet().length);
            q.after().run();
        }, e -> LOG.warn(name + ": control packet handling failed", e));
    }

    InetSocketAddress remote() {
        return remote;
    }

    int peerId() {
        return session.peerId();
    }

    /** The client's session id, from its reset (no lock: the receive thread asks while a handshake holds it). */
    long remoteSessionId() {
        return clientSessionId;
    }

    /**
     * Processes a control packet (a copy the connection keeps) later, on a virtual thread, then runs {@code after}:
     * packets of one connection in arrival order, one at a time. The UDP receive thread hands handshakes here, so
     * a TLS handshake step (an RSA signature takes milliseconds) never holds up the data of every other session,
     * and handshakes of different clients run on all cores. At most {@link #MAX_QUEUED_CONTROL} wait; more are
     * dropped, as a full socket buffer would, and the client's reliability layer sends them again (openvpn.md §3).
     */
    void onControlLater(byte[] packet, Runnable after) {
        controlQueue.offer(new QueuedControl(packet, after));
    }

    private record QueuedControl(byte[] packet, Runnable after) {
    }

    /** The session's counters (tests, metrics). */
    public io.p2sgw.openvpn.engine.SessionStats stats() {
        lock.lock();
        try {
            return session.stats();
        } finally {
            lock.unlock();
        }
    }

    boolean inHandshake() {
        return session.state() == OpenVpnSession.State.HANDSHAKE;
    }

    /** Authenticated and carrying data (not refused, closing or ended). */
    boolean active() {
        return session.state() == OpenVpnSession.State.ACTIVE;
    }

    boolean ended() {
        return session.state() == OpenVpnSession.State.ENDED;
    }

    void onPacket(byte[] packet) {
        onPacket(packet, 0, packet.length);
    }

    /** A packet in a receive buffer the caller reuses afterwards (see {@link OpenVpnSession#onPacket(byte[], int, int, long)}). */
    void onPacket(byte[] buf, int off, int len) {
        ByteBuffer toDeliver = null;
        lock.lock();
        try {
            session.onPacket(buf, off, len, clock.millis());
            // Taken under the lock, so only the thread whose packet it is delivers it (UDP control packets run on
            // another thread than data packets).
            if (deliveryPending) {
                deliveryPending = false;
                toDeliver = deliverView;
            }
        } finally {
            lock.unlock();
        }
        // The TUN write happens outside the lock: holding it through that system call made the TUN reader (which
        // needs the lock to encrypt, for example the ACKs of this very upload) wait, and every release then had to
        // wake it. Only data packets are decrypted, and one thread handles a connection's data packets (the TCP
        // reader, the UDP receive thread), so the engine's receive buffer stays as it is until that thread's next one.
        if (toDeliver != null) {
            Optional<SessionHandle> h = handle;
            if (h.isPresent()) {
                h.get().fromClient(toDeliver);
            }
        }
    }

    @Override
    public void tick() {
        lock.lock();
        try {
            session.tick(clock.millis());
        } finally {
            lock.unlock();
        }
    }

    /** The transport went away (TCP EOF/reset, service closing). */
    @Override
    public void tickFailed(RuntimeException e) {
        transportClosed("internal error: " + e);
    }

    void transportClosed(String reason) {
        lock.lock();
        try {
            session.abort(reason);
        } finally {
            lock.unlock();
        }
    }

    /** Tell the client to reconnect, then end at once (service shutting down). */
    void shutdown(String reason) {
        lock.lock();
        try {
            session.close("RESTART," + reason, reason, clock.millis());
            session.abort(reason);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------ TunnelEndpoint (called by the core)

    @Override
    public void sendToClient(ByteBuffer ipPacket) {
        int n = ipPacket.remaining();
        boolean sent;
        lock.lock();
        try {
            // The data packet this produces is queued on the transport until flushToClient (a TCP burst is
            // written at once); control packets sent meanwhile go after it.
            fromCore = true;
            corePlainBytes = n;
            sent = session.sendIp(ipPacket, clock.millis());
        } finally {
            fromCore = false;
            lock.unlock();
        }
        if (!sent) {
            // No data channel key yet (or any more): the core counted the packet as delivered (issue 12).
            droppedToClient(1, n);
        }
    }

    /** The core counts what it delivers; what never left (no key, the transport dropped the write) is reported. */
    private void droppedToClient(int packets, long plainBytes) {
        Optional<SessionHandle> h = handle;
        if (h.isPresent()) {
            h.get().droppedToClient(packets, plainBytes);
        }
    }

    @Override
    public void flushToClient() {
        lock.lock();
        try {
            transport.flush();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close(String reason) {
        lock.lock();
        try {
            LOG.info(name + ": closed by the gateway: " + reason);
            // RESTART makes the client reconnect; a revoked client is then refused with AUTH_FAILED.
            session.close("RESTART," + reason, "closed by the gateway: " + reason, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------ SessionHost (called with the lock held)

    @Override
    public void transmit(byte[] buf, int off, int len) {
        if (fromCore) {
            transport.queue(buf, off, len, corePlainBytes);
        } else {
            transport.send(buf, off, len);
        }
    }

    @Override
    public void transmitControl(byte[] buf, int off, int len) {
        // Also from the core's thread (a renegotiation started by sendIp): what is queued goes out first, in order.
        transport.sendControl(buf, off, len);
    }

    @Override
    public AuthDecision authenticate(List<X509Certificate> clientChain, String peerInfoSummary) {
        // The certificate is named (CN, thumbprint) by the core, which parses it with the one parser in pki and logs
        // the refusal or admission; a protocol never reads a subject itself.
        Admission admission = core.admit(new AdmissionRequest(TunnelType.OPENVPN, clientChain, remote, this));
        return switch (admission) {
            case Admission.Refused r -> {
                LOG.warn(name + ": refused client: " + r.reason() + " - " + r.detail()
                        + "; sending AUTH_FAILED");
                yield new AuthDecision.Rejected(clientText(r.reason()));
            }
            case Admission.Admitted a -> {
                SessionHandle h = a.handle();
                handle = Optional.of(h);
                name = h.connectionId() + " " + remote;
                // The core logs the admission (CN, thumbprint, address) at INFO; this adds the client's version.
                String admitted = name + ": admitted CN=" + h.userName() + " (" + peerInfoSummary + "), address " + h.address();
                LOG.atDebug().log(() -> admitted);
                yield new AuthDecision.Accepted(new PushConfig(h.address(), h.poolPrefixLength(), h.gatewayAddress(),
                        h.routes(), h.dnsServers()));
            }
        };
    }

    /** Counted by the core with the other refusals before authentication (issue 13); the engine logged why. */
    @Override
    public void handshakeFailed(String why) {
        if (handle.isEmpty()) {
            core.preAuth().refused(transport.kind(), remote, PreAuthBudget.Refusal.HANDSHAKE_FAILED);
        }
    }

    @Override
    public void deliver(byte[] buf, int off, int len) {
        Optional<SessionHandle> h = handle;
        if (h.isEmpty()) {
            return;
        }
        // One view per receive array, re-pointed for each packet: no allocation per packet. onPacket hands it to
        // the core once the lock is released.
        if (buf != deliverArray) {
            deliverArray = buf;
            deliverView = ByteBuffer.wrap(buf);
        }
        deliverView.clear().position(off).limit(off + len);
        deliveryPending = true;
    }

    @Override
    public void ended(String reason) {
        // An admitted session's end is logged by the core with its reason; one that never got that far is
        // logged here, so a refused or failed handshake always leaves a line saying why.
        LOG.atLevel(handle.isPresent() ? Level.DEBUG : Level.INFO).log(name + ": session ended: " + reason);
        transport.close();
        // Never call back into the core with our lock held (TunnelEndpoint#close contract).
        handle.ifPresent(h -> Thread.startVirtualThread(() -> h.close(reason)));
        onEnd.accept(this);
    }

    /** The AUTH_FAILED text the client shows: the reason, no certificate details. */
    static String clientText(RefusalReason reason) {
        return switch (reason) {
            case NOT_CONFIGURED -> "OpenVPN is not enabled on this gateway";
            case UNTRUSTED -> "client certificate not trusted";
            case EXPIRED -> "client certificate expired or not yet valid";
            case NO_CLIENT_AUTH_EKU -> "client certificate lacks Client Authentication EKU";
            case REVOKED -> "client certificate revoked";
            case LIMIT_REACHED -> "connection limit reached";
            case POOL_EXHAUSTED -> "address pool exhausted";
            case NOT_SAME_CLIENT -> "client certificate changed";
        };
    }
}
