package io.p2sgw.portal;

import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.SessionListener;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.api.TunnelTypeStatus;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A data plane that reports sessions the test puts in and records what the control plane asks of it
 * (snapshots applied, disconnects). It stands in for real OpenVPN clients in the portal test; the
 * real-client version of the sessions step lives with the interop tests.
 */
final class FakeDataPlane implements DataPlane {
    private final List<SessionInfo> sessions = new CopyOnWriteArrayList<>();
    private final List<String> disconnected = new CopyOnWriteArrayList<>();
    private final List<GatewaySnapshot> applied = new CopyOnWriteArrayList<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    /** Traffic added per {@link #sessions()} call, so successive polls draw a non-flat chart. */
    private static final long BYTES_PER_POLL = 48_000;

    /** Adds an OpenVPN session of {@code user} at {@code privateAddress}. Returns its connection id. */
    String connect(String user, String privateAddress) {
        String id = "OpenVPN_" + java.util.UUID.nameUUIDFromBytes(user.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sessions.add(new SessionInfo(id, TunnelType.OPENVPN, user, "0123456789abcdef0123456789abcdef01234567",
                new InetSocketAddress("198.51.100.77", 51194), privateAddress, Instant.now().minusSeconds(754),
                1_234_567, 7_654_321, 1200, 5400));
        return id;
    }

    List<String> disconnectedIds() {
        return List.copyOf(disconnected);
    }

    Optional<GatewaySnapshot> lastSnapshot() {
        return applied.isEmpty() ? Optional.empty() : Optional.of(applied.get(applied.size() - 1));
    }

    @Override
    public void apply(GatewaySnapshot snapshot) {
        applied.add(snapshot);
    }

    @Override
    public void clear() {
        sessions.clear();
    }

    @Override
    public synchronized List<SessionInfo> sessions() {
        List<SessionInfo> grown = new ArrayList<>();
        for (SessionInfo s : sessions) {
            grown.add(new SessionInfo(s.vpnConnectionId(), s.tunnelType(), s.userName(), s.thumbprint(),
                    s.publicAddress(), s.privateAddress(), s.startTime(), s.ingressBytes() + BYTES_PER_POLL,
                    s.egressBytes() + 3 * BYTES_PER_POLL, s.ingressPackets() + 40, s.egressPackets() + 120));
        }
        sessions.clear();
        sessions.addAll(grown);
        return List.copyOf(grown);
    }

    @Override
    public synchronized int disconnect(Collection<String> vpnConnectionIds, String reason) {
        int n = 0;
        for (String id : vpnConnectionIds) {
            if (sessions.removeIf(s -> s.vpnConnectionId().equals(id))) {
                disconnected.add(id);
                n++;
            }
        }
        return n;
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    /** What the status endpoint lists per tunnel type; the walkthrough enables OpenVPN. */
    @Override
    public List<TunnelTypeStatus> tunnelTypes() {
        return List.of(new TunnelTypeStatus(TunnelType.OPENVPN, true, "served on TCP 443 and UDP 1194 (portal test fake)"),
                new TunnelTypeStatus(TunnelType.IKEV2, false, "not served yet: no IkeV2 server (portal test fake)"));
    }

    @Override
    public String status() {
        return "running (portal test fake)";
    }

    @Override
    public void close() {
        sessions.clear();
    }
}
