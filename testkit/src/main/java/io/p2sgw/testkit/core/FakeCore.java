package io.p2sgw.testkit.core;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.RefusalReason;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import io.p2sgw.pki.Certificates;
import io.p2sgw.testkit.snapshot.SnapshotBuilder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the data-plane core ({@link GatewayCore}) for a protocol module's tests, which see only
 * dataplane-api. It serves one tunnel type and admits a client whose chain leads to the one trusted root and whose leaf
 * is not {@linkplain #revoked revoked}; every session gets {@link #ADDRESS} in the seed pool 172.16.201.0/24
 * (azure-p2s.md §1.4). It records what the protocol does: admissions and refusals, the endpoints, the packets the
 * client sent, the drops it reported and the closes. It is not the policy: dates and EKUs are the real core's tests'
 * (dataplane module), and every session gets the same address.
 *
 * <p>{@link #readmit} keeps the session as the real core does (same connection id and address, a new handle:
 * IKEv2 reauthentication, make-before-break) and refuses another certificate or tunnel type with
 * {@code NOT_SAME_CLIENT}.
 */
public final class FakeCore implements GatewayCore {
    /** The address every session gets. */
    public static final String ADDRESS = "172.16.201.2";
    /** The gateway's own address in the pool (route-gateway, PPP peer address). */
    public static final String GATEWAY_ADDRESS = "172.16.201.1";
    public static final List<String> ROUTES = List.of("10.1.0.0/16", "172.16.201.0/24");
    public static final List<String> DNS_SERVERS = List.of("10.1.0.53");
    public static final int TUNNEL_MTU = 1400;

    private final TunnelType tunnelType;
    private final X509Certificate root;
    private volatile SecretBytes tunnelSecret;

    /** Thumbprints (lower-case hex, {@link Certificates#thumbprint}) to refuse as {@code REVOKED}. */
    public final Set<String> revoked = ConcurrentHashMap.newKeySet();
    /** Each admission's outcome, in order. */
    public final List<Admission> admissions = new CopyOnWriteArrayList<>();
    /** Each re-admission's outcome, in order. */
    public final List<Admission> readmissions = new CopyOnWriteArrayList<>();
    /** The endpoints of admitted (and re-admitted) sessions. */
    public final List<TunnelEndpoint> endpoints = new CopyOnWriteArrayList<>();
    /** The IP packets clients sent, copied. */
    public final List<byte[]> fromClient = new CopyOnWriteArrayList<>();
    /** The reasons the protocol gave when it closed a handle. */
    public final List<String> closes = new CopyOnWriteArrayList<>();
    /** What the protocol reported with {@link SessionHandle#droppedToClient}. */
    public final AtomicLong droppedPackets = new AtomicLong();
    public final AtomicLong droppedBytes = new AtomicLong();
    /** What the protocol reports to and takes from the core's pre-authentication budget. */
    public final RecordingPreAuthBudget budget = new RecordingPreAuthBudget();

    /** A core that serves {@code tunnelType} and trusts {@code root}. */
    public FakeCore(TunnelType tunnelType, X509Certificate root) {
        this.tunnelType = tunnelType;
        this.root = root;
    }

    /** Puts the tunnel type's secret into the snapshot (OpenVPN: the tls-auth/tls-crypt static key). */
    public FakeCore withTunnelSecret(SecretBytes secret) {
        tunnelSecret = secret;
        return this;
    }

    /** A snapshot of the seed gateway serving the tunnel type, with {@link #revoked} as it is now. */
    @Override
    public Optional<GatewaySnapshot> snapshot() {
        SnapshotBuilder b = SnapshotBuilder.seed().gatewayId("/subscriptions/x/gw").gatewayName("gw").tunnelTypes(tunnelType)
                .revoked(Set.copyOf(revoked)).routes(ROUTES).dnsServers(DNS_SERVERS).serverName("vpn.example.test");
        SecretBytes secret = tunnelSecret;
        if (secret != null) {
            b.tunnelSecret(tunnelType, secret);
        }
        return Optional.of(b.build());
    }

    @Override
    public io.p2sgw.dataplane.spi.PreAuthBudget preAuth() {
        return budget;
    }

    @Override
    public Admission admit(AdmissionRequest request) {
        Admission a = judge(request);
        if (a instanceof Admission.Admitted) {
            endpoints.add(request.endpoint());
        }
        admissions.add(a);
        return a;
    }

    @Override
    public Admission readmit(SessionHandle current, AdmissionRequest request) {
        if (!(current instanceof Handle old) || old.core() != this) {
            throw new IllegalArgumentException("not a handle of this core: " + current);
        }
        Admission a;
        if (request.tunnelType() != old.tunnelType || !Certificates.thumbprint(request.clientChain().getFirst()).equals(old.thumbprint)) {
            a = new Admission.Refused(RefusalReason.NOT_SAME_CLIENT, "not the certificate or tunnel type of " + old.id);
        } else {
            a = judge(request);
            if (a instanceof Admission.Admitted) {
                endpoints.add(request.endpoint());
                a = new Admission.Admitted(new Handle(old.id, request.clientChain().getFirst(), request.tunnelType(),
                        request.publicAddress()));
            }
        }
        readmissions.add(a);
        return a;
    }

    private Admission judge(AdmissionRequest request) {
        X509Certificate leaf = request.clientChain().getFirst();
        String thumb = Certificates.thumbprint(leaf);
        if (request.tunnelType() != tunnelType) {
            return new Admission.Refused(RefusalReason.NOT_CONFIGURED, request.tunnelType() + " is not served");
        }
        if (!chainsToRoot(request.clientChain())) {
            return new Admission.Refused(RefusalReason.UNTRUSTED, "certificate " + thumb + " does not chain to the test CA");
        }
        if (revoked.contains(thumb)) {
            return new Admission.Refused(RefusalReason.REVOKED, "certificate " + thumb + " is revoked");
        }
        String id = tunnelType.connectionIdPrefix() + "_" + UUID.randomUUID();
        return new Admission.Admitted(new Handle(id, leaf, request.tunnelType(), request.publicAddress()));
    }

    /** Each certificate is signed by the next; the last one is the root or signed by it. */
    private boolean chainsToRoot(List<X509Certificate> chain) {
        try {
            for (int i = 0; i < chain.size(); i++) {
                X509Certificate c = chain.get(i);
                if (c.equals(root)) {
                    return true;
                }
                c.verify((i + 1 < chain.size() ? chain.get(i + 1) : root).getPublicKey());
            }
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private final class Handle implements SessionHandle {
        private final String id;
        private final String thumbprint;
        private final String userName;
        private final TunnelType tunnelType;
        private volatile InetSocketAddress publicAddress;

        Handle(String id, X509Certificate leaf, TunnelType tunnelType, InetSocketAddress publicAddress) {
            this.id = id;
            this.thumbprint = Certificates.thumbprint(leaf);
            this.userName = Certificates.commonName(leaf);
            this.tunnelType = tunnelType;
            this.publicAddress = publicAddress;
        }

        FakeCore core() {
            return FakeCore.this;
        }

        @Override
        public String connectionId() {
            return id;
        }

        @Override
        public String address() {
            return ADDRESS;
        }

        @Override
        public int poolPrefixLength() {
            return 24;
        }

        @Override
        public String gatewayAddress() {
            return GATEWAY_ADDRESS;
        }

        @Override
        public List<String> routes() {
            return ROUTES;
        }

        @Override
        public List<String> dnsServers() {
            return DNS_SERVERS;
        }

        @Override
        public String userName() {
            return userName;
        }

        @Override
        public int tunnelMtu() {
            return TUNNEL_MTU;
        }

        @Override
        public InetSocketAddress publicAddress() {
            return publicAddress;
        }

        @Override
        public void updatePublicAddress(InetSocketAddress address) {
            publicAddress = address;
        }

        @Override
        public void fromClient(ByteBuffer ipPacket) {
            byte[] b = new byte[ipPacket.remaining()];
            ipPacket.get(b);
            fromClient.add(b);
        }

        @Override
        public void droppedToClient(int packets, long bytes) {
            droppedPackets.addAndGet(packets);
            droppedBytes.addAndGet(bytes);
        }

        @Override
        public void close(String reason) {
            closes.add(reason);
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
