package io.p2sgw.dataplane.session;

import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.pool.Ipv4;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One admitted client: what the router delivers to, and what {@code getVpnClientConnectionHealth} reports
 * (azure-p2s.md §6.1). Counters are from the VNet's point of view as in the API: ingress = client → VNet,
 * egress = VNet → client.
 *
 * <p>The protocol holds a {@link Handle}, one per protocol endpoint. A session starts with one; a re-admission
 * (IKEv2 reauthentication, make-before-break) {@linkplain #takeOver adds another} that becomes the
 * {@linkplain #current() current} one: packets for the client go to its endpoint, while the older handles still
 * forward what the client sends until their protocol closes them. The session (its id, lease, counters) lives until
 * the current handle closes or the core ends it.
 */
public final class Session {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Session.class);
    /** What the session needs from the core; implemented by the data-plane core. */
    public interface Owner {
        /** A packet from the client: check its source and forward it. */
        void forwardFromClient(Session session, ByteBuffer ipPacket);

        /** The protocol closed one of the session's handles. */
        void handleClosedByProtocol(Handle handle, String reason);

        /** The largest IP packet tunnels should carry ({@link SessionHandle#tunnelMtu()}). */
        int tunnelMtu();
    }

    private final String connectionId;
    private final TunnelType tunnelType;
    private final String thumbprint;
    private final String commonName;
    private final long address;
    private final String addressText;
    private final int prefixLength;
    private final String gatewayAddress;
    private final List<String> routes;
    private final List<String> dnsServers;
    private final Instant startTime;
    private final Owner owner;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TrafficTotals totals;
    /** The chain last admitted (a re-admission may present a renewed chain for the same leaf); policy re-checks it. */
    private volatile List<X509Certificate> chain;
    private volatile InetSocketAddress publicAddress;
    /** Every handle not yet closed, oldest first; the last one is {@link #current}. */
    private final CopyOnWriteArrayList<Handle> handles = new CopyOnWriteArrayList<>();
    private volatile Handle current;
    /** The endpoint given packets since the last flush; only the router's TUN reader touches it. */
    private TunnelEndpoint unflushed;

    private final LongAdder ingressBytes = new LongAdder();
    private final LongAdder ingressPackets = new LongAdder();
    private final LongAdder egressBytes = new LongAdder();
    private final LongAdder egressPackets = new LongAdder();
    private final LongAdder egressDroppedBytes = new LongAdder();
    private final LongAdder egressDroppedPackets = new LongAdder();

    public Session(String connectionId, TunnelType tunnelType, String thumbprint, String commonName,
            List<X509Certificate> chain, InetSocketAddress publicAddress, long address, int prefixLength,
            String gatewayAddress, List<String> routes, List<String> dnsServers, Instant startTime,
            TunnelEndpoint endpoint, Owner owner, TrafficTotals totals) {
        this.totals = totals;
        this.connectionId = connectionId;
        this.tunnelType = tunnelType;
        this.thumbprint = thumbprint;
        this.commonName = commonName;
        this.chain = List.copyOf(chain);
        this.publicAddress = Objects.requireNonNull(publicAddress, "publicAddress");
        this.address = address;
        this.addressText = Ipv4.format(address);
        this.prefixLength = prefixLength;
        this.gatewayAddress = gatewayAddress;
        this.routes = List.copyOf(routes);
        this.dnsServers = List.copyOf(dnsServers);
        this.startTime = startTime;
        this.owner = owner;
        Handle first = new Handle(endpoint);
        handles.add(first);
        this.current = first;
    }

    /** {@code <Protocol>_<GUID>}: azure-p2s.md §6.1 shows {@code IKEv2_1e1cfe59-...}. */
    public static String newConnectionId(TunnelType type) {
        return type.connectionIdPrefix() + "_" + java.util.UUID.randomUUID();
    }

    public String connectionId() {
        return connectionId;
    }

    public String address() {
        return addressText;
    }

    public long addressValue() {
        return address;
    }

    public String userName() {
        return commonName;
    }

    public TunnelType tunnelType() {
        return tunnelType;
    }

    public String thumbprint() {
        return thumbprint;
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    public InetSocketAddress publicAddress() {
        return publicAddress;
    }

    /** The handle whose endpoint gets the client's packets. */
    public Handle current() {
        return current;
    }

    /** The handles not yet closed, oldest first. */
    public List<Handle> openHandles() {
        return List.copyOf(handles);
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Marks the session closed; true only for the first caller, who then does the cleanup. */
    public boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /**
     * A re-admission: a new handle for {@code endpoint} becomes the current one; the older handles stay open until
     * their protocol closes them. The caller (the core, under its admission lock) has checked the client is this one.
     */
    public Handle takeOver(TunnelEndpoint endpoint, List<X509Certificate> newChain, InetSocketAddress from) {
        Handle h = new Handle(endpoint);
        chain = List.copyOf(newChain);
        publicAddress = from;
        handles.add(h);
        current = h;
        return h;
    }

    /** Delivers a packet from the VNet to the current endpoint, counting it. Called by the router's TUN reader only. */
    public void deliverToClient(ByteBuffer ipPacket) {
        TunnelEndpoint ep = current.endpoint;
        if (unflushed != null && unflushed != ep) {
            // A re-admission switched endpoints in the middle of a burst: the old one writes what it holds first.
            flushToClient();
        }
        int n = ipPacket.remaining();
        egressBytes.add(n);
        egressPackets.increment();
        totals.egressBytes().add(n);
        totals.egressPackets().increment();
        unflushed = ep;
        ep.sendToClient(ipPacket);
    }

    /** See {@link TunnelEndpoint#flushToClient()}; called by the TUN reader at the end of a burst. */
    public void flushToClient() {
        TunnelEndpoint ep = unflushed != null ? unflushed : current.endpoint;
        unflushed = null;
        ep.flushToClient();
    }

    public void countIngress(int bytes) {
        ingressBytes.add(bytes);
        ingressPackets.increment();
        totals.ingressBytes().add(bytes);
        totals.ingressPackets().increment();
    }

    /** Egress the protocol reports it dropped after the core delivered it ({@link SessionHandle#droppedToClient}). */
    void countDroppedToClient(int packets, long bytes) {
        if (packets <= 0 && bytes <= 0) {
            return;
        }
        egressDroppedPackets.add(packets);
        egressDroppedBytes.add(bytes);
        totals.egressDroppedPackets().add(packets);
        totals.egressDroppedBytes().add(bytes);
    }

    /** Egress counts what reached the protocol's connection: delivered minus what the protocol reported dropped. */
    public SessionInfo info() {
        // Dropped is read first: a drop is reported after its delivery was counted, so the difference never goes
        // below zero.
        long droppedBytes = egressDroppedBytes.sum();
        long droppedPackets = egressDroppedPackets.sum();
        return new SessionInfo(connectionId, tunnelType, commonName, thumbprint, publicAddress, addressText, startTime,
                ingressBytes.sum(), Math.max(0, egressBytes.sum() - droppedBytes), ingressPackets.sum(),
                Math.max(0, egressPackets.sum() - droppedPackets));
    }

    @Override
    public String toString() {
        return connectionId + " (CN=" + commonName + ", thumbprint " + thumbprint + ", " + addressText + ")";
    }

    /** The session as one protocol endpoint holds it. */
    public final class Handle implements SessionHandle {
        private final TunnelEndpoint endpoint;
        private final AtomicBoolean handleClosed = new AtomicBoolean();

        private Handle(TunnelEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        public Session session() {
            return Session.this;
        }

        public TunnelEndpoint endpoint() {
            return endpoint;
        }

        public boolean isClosed() {
            return handleClosed.get();
        }

        /** Marks this handle closed and forgets it; true only for the first caller. */
        public boolean markClosed() {
            if (!handleClosed.compareAndSet(false, true)) {
                return false;
            }
            handles.remove(this);
            return true;
        }

        /** True when this core issued the handle (a re-admission names the session by one). */
        public boolean ownedBy(Owner o) {
            return owner == o;
        }

        @Override
        public String connectionId() {
            return connectionId;
        }

        @Override
        public String address() {
            return addressText;
        }

        @Override
        public int poolPrefixLength() {
            return prefixLength;
        }

        @Override
        public String gatewayAddress() {
            return gatewayAddress;
        }

        @Override
        public List<String> routes() {
            return routes;
        }

        @Override
        public List<String> dnsServers() {
            return dnsServers;
        }

        @Override
        public String userName() {
            return commonName;
        }

        @Override
        public int tunnelMtu() {
            return owner.tunnelMtu();
        }

        @Override
        public InetSocketAddress publicAddress() {
            return publicAddress;
        }

        @Override
        public void updatePublicAddress(InetSocketAddress address) {
            Objects.requireNonNull(address, "address");
            InetSocketAddress before = publicAddress;
            if (!address.equals(before) && !handleClosed.get()) {
                publicAddress = address;
                LOG.info("{}: the client's public address changed from {} to {}", connectionId, before, address);
            }
        }

        @Override
        public void fromClient(ByteBuffer ipPacket) {
            if (!handleClosed.get() && !closed.get()) {
                owner.forwardFromClient(Session.this, ipPacket);
            }
        }

        @Override
        public void droppedToClient(int packets, long bytes) {
            countDroppedToClient(packets, bytes);
        }

        @Override
        public void close(String reason) {
            owner.handleClosedByProtocol(this, reason);
        }

        @Override
        public String toString() {
            return Session.this + " handle " + Integer.toHexString(System.identityHashCode(this));
        }
    }
}
