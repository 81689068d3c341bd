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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One admitted client: what the protocol holds as its {@link SessionHandle}, what the router delivers to,
 * and what {@code getVpnClientConnectionHealth} reports (azure-p2s.md §6.1). Counters are from the VNet's
 * point of view as in the API: ingress = client → VNet, egress = VNet → client.
 */
public final class Session implements SessionHandle {
    /** What the session needs from the core; implemented by the data-plane core. */
    public interface Owner {
        /** A packet from the client: check its source and forward it. */
        void forwardFromClient(Session session, ByteBuffer ipPacket);

        /** The protocol ended the session. */
        void sessionClosedByProtocol(Session session, String reason);
    }

    private final String connectionId;
    private final TunnelType tunnelType;
    private final String thumbprint;
    private final String commonName;
    private final List<X509Certificate> chain;
    private final InetSocketAddress publicAddress;
    private final long address;
    private final String addressText;
    private final int prefixLength;
    private final String gatewayAddress;
    private final List<String> routes;
    private final List<String> dnsServers;
    private final Instant startTime;
    private final TunnelEndpoint endpoint;
    private final Owner owner;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TrafficTotals totals;

    private final LongAdder ingressBytes = new LongAdder();
    private final LongAdder ingressPackets = new LongAdder();
    private final LongAdder egressBytes = new LongAdder();
    private final LongAdder egressPackets = new LongAdder();

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
        this.publicAddress = publicAddress;
        this.address = address;
        this.addressText = Ipv4.format(address);
        this.prefixLength = prefixLength;
        this.gatewayAddress = gatewayAddress;
        this.routes = List.copyOf(routes);
        this.dnsServers = List.copyOf(dnsServers);
        this.startTime = startTime;
        this.endpoint = endpoint;
        this.owner = owner;
    }

    /** {@code <Protocol>_<GUID>}: azure-p2s.md §6.1 shows {@code IKEv2_1e1cfe59-...}. */
    public static String newConnectionId(TunnelType type) {
        String prefix = switch (type) {
            case OPENVPN -> "OpenVPN";
            case IKEV2 -> "IKEv2";
            case SSTP -> "SSTP";
        };
        return prefix + "_" + java.util.UUID.randomUUID();
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public String address() {
        return addressText;
    }

    public long addressValue() {
        return address;
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

    public TunnelType tunnelType() {
        return tunnelType;
    }

    public String thumbprint() {
        return thumbprint;
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    public TunnelEndpoint endpoint() {
        return endpoint;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Marks the session closed; true only for the first caller, who then does the cleanup. */
    public boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    @Override
    public void fromClient(ByteBuffer ipPacket) {
        if (!closed.get()) {
            owner.forwardFromClient(this, ipPacket);
        }
    }

    @Override
    public void close(String reason) {
        owner.sessionClosedByProtocol(this, reason);
    }

    /** Delivers a packet from the VNet to the protocol, counting it. */
    public void deliverToClient(ByteBuffer ipPacket) {
        int n = ipPacket.remaining();
        egressBytes.add(n);
        egressPackets.increment();
        totals.egressBytes().add(n);
        totals.egressPackets().increment();
        endpoint.sendToClient(ipPacket);
    }

    /** See {@link TunnelEndpoint#flushToClient()}; called by the TUN reader at the end of a burst. */
    public void flushToClient() {
        endpoint.flushToClient();
    }

    public void countIngress(int bytes) {
        ingressBytes.add(bytes);
        ingressPackets.increment();
        totals.ingressBytes().add(bytes);
        totals.ingressPackets().increment();
    }

    public SessionInfo info() {
        return new SessionInfo(connectionId, tunnelType, commonName, thumbprint, publicAddress, addressText, startTime,
                ingressBytes.sum(), egressBytes.sum(), ingressPackets.sum(), egressPackets.sum());
    }

    @Override
    public String toString() {
        return connectionId + " (CN=" + commonName + ", thumbprint " + thumbprint + ", " + addressText + ")";
    }
}
