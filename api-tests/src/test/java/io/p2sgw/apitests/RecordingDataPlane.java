package io.p2sgw.apitests;

import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.SessionListener;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the data plane (these tests are about the API; real clients are the interop tests'): it
 * records the snapshots the control plane publishes so a test can see the configuration arrive.
 */
final class RecordingDataPlane implements DataPlane {
    private final List<GatewaySnapshot> applied = new CopyOnWriteArrayList<>();

    Optional<GatewaySnapshot> last() {
        return applied.isEmpty() ? Optional.empty() : Optional.of(applied.getLast());
    }

    @Override
    public void apply(GatewaySnapshot snapshot) {
        applied.add(snapshot);
    }

    @Override
    public void clear() {
    }

    @Override
    public List<SessionInfo> sessions() {
        return List.of();
    }

    @Override
    public int disconnect(Collection<String> vpnConnectionIds, String reason) {
        return 0;
    }

    @Override
    public void addListener(SessionListener listener) {
    }

    @Override
    public String status() {
        return "running (test recorder)";
    }

    @Override
    public void close() {
    }
}
