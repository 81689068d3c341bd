package io.p2sgw.openvpn.testing;

import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.RefusalReason;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import io.p2sgw.openvpn.wire.StaticKey;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the data-plane core: admits chains whose leaf is signed by the test CA and not revoked,
 * leases 172.16.201.2, and records packets, admissions, refusals and closes.
 */
public final class FakeCore implements GatewayCore {
    public static final String ADDRESS = "172.16.201.2";

    private final X509Certificate ca;
    private final StaticKey staticKey;
    public final Set<String> revoked = ConcurrentHashMap.newKeySet();
    public final List<byte[]> fromClient = new CopyOnWriteArrayList<>();
    public final List<Admission> admissions = new CopyOnWriteArrayList<>();
    public final List<TunnelEndpoint> endpoints = new CopyOnWriteArrayList<>();
    public final List<String> closes = new CopyOnWriteArrayList<>();
    /** What the protocol reported with {@link SessionHandle#droppedToClient}. */
    public final java.util.concurrent.atomic.AtomicLong droppedPackets = new java.util.concurrent.atomic.AtomicLong();
    public final java.util.concurrent.atomic.AtomicLong droppedBytes = new java.util.concurrent.atomic.AtomicLong();

    /** What the protocol reports to and takes from the core's pre-authentication budget. */
    public final RecordingPreAuthBudget budget = new RecordingPreAuthBudget();

    public FakeCore(X509Certificate ca, StaticKey staticKey) {
        this.ca = ca;
        this.staticKey = staticKey;
    }

    @Override
    public Optional<GatewaySnapshot> snapshot() {
        return Optional.of(new GatewaySnapshot(1, "/subscriptions/x/gw", "gw", List.of("172.16.201.0/24"), Set.of(TunnelType.OPENVPN),
                List.of(), Set.copyOf(revoked), List.of("10.1.0.0/16", "172.16.201.0/24"), List.of("10.1.0.53"),
                new ConnectionLimits(128, 128), false, 0, 1,
                Map.of(TunnelType.OPENVPN, SecretBytes.of(staticKey.bytes())), "vpn.example.test"));
    }

    @Override
    public Admission admit(AdmissionRequest request) {
        X509Certificate leaf = request.clientChain().getFirst();
        String thumb = thumbprint(leaf);
        Admission a;
        try {
            leaf.verify(ca.getPublicKey());
            if (revoked.contains(thumb)) {
                a = new Admission.Refused(RefusalReason.REVOKED, "certificate " + thumb + " is revoked");
            } else {
                endpoints.add(request.endpoint());
                a = new Admission.Admitted(new Handle(leaf, request.publicAddress()));
            }
        } catch (Exception e) {
            a = new Admission.Refused(RefusalReason.UNTRUSTED, "certificate " + thumb + " does not chain to the test CA");
        }
        admissions.add(a);
        return a;
    }

    @Override
    public io.p2sgw.dataplane.spi.PreAuthBudget preAuth() {
        return budget;
    }

    /** OpenVPN never re-admits (a renegotiation keeps its session); a test that gets here has found a bug. */
    @Override
    public Admission readmit(SessionHandle current, AdmissionRequest request) {
        throw new UnsupportedOperationException("OpenVPN does not re-admit");
    }

    public static String thumbprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(c.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Handle implements SessionHandle {
        private final String id = "OpenVPN_" + UUID.randomUUID();
        private final X509Certificate leaf;
        private volatile java.net.InetSocketAddress publicAddress;

        Handle(X509Certificate leaf, java.net.InetSocketAddress publicAddress) {
            this.leaf = leaf;
            this.publicAddress = publicAddress;
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
            return "172.16.201.1";
        }

        @Override
        public List<String> routes() {
            return List.of("10.1.0.0/16", "172.16.201.0/24");
        }

        @Override
        public List<String> dnsServers() {
            return List.of("10.1.0.53");
        }

        @Override
        public String userName() {
            return leaf.getSubjectX500Principal().getName();
        }

        @Override
        public int tunnelMtu() {
            return 1400;
        }

        @Override
        public java.net.InetSocketAddress publicAddress() {
            return publicAddress;
        }

        @Override
        public void updatePublicAddress(java.net.InetSocketAddress address) {
            publicAddress = address;
        }

        @Override
        public void droppedToClient(int packets, long bytes) {
            droppedPackets.addAndGet(packets);
            droppedBytes.addAndGet(bytes);
        }

        @Override
        public void fromClient(ByteBuffer ipPacket) {
            byte[] b = new byte[ipPacket.remaining()];
            ipPacket.get(b);
            fromClient.add(b);
        }

        @Override
        public void close(String reason) {
            closes.add(reason);
        }
    }
}
