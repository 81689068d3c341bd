package io.p2sgw.testkit.dataplane;

import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.SessionListener;
import io.p2sgw.dataplane.api.TunnelTypeStatus;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A data plane that serves nothing, for control-plane, API and server tests: it records what the control plane asks of
 * it (snapshots applied, clears, disconnects, listeners) and reports the status and tunnel types the test sets.
 * Thread-safe.
 */
public final class RecordingDataPlane implements DataPlane {
    /** Every snapshot applied, in order. */
    public final List<GatewaySnapshot> applied = new CopyOnWriteArrayList<>();
    /** The ids each {@link #disconnect} call named, in order. */
    public final List<String> disconnected = new CopyOnWriteArrayList<>();
    public final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger clears = new AtomicInteger();
    private volatile String status = "running";
    private volatile List<TunnelTypeStatus> tunnelTypes = List.of();

    /** The last snapshot applied. */
    public Optional<GatewaySnapshot> last() {
        return applied.isEmpty() ? Optional.empty() : Optional.of(applied.getLast());
    }

    /** How often {@link #clear} was called. */
    public int clears() {
        return clears.get();
    }

    /** What {@link #status} answers from now on ("running" at first). */
    public void status(String s) {
        status = s;
    }

    /** What {@link #tunnelTypes} answers from now on (empty at first). */
    public void tunnelTypes(List<TunnelTypeStatus> types) {
        tunnelTypes = List.copyOf(types);
    }

    @Override
    public void apply(GatewaySnapshot snapshot) {
        applied.add(snapshot);
    }

    @Override
    public void clear() {
        clears.incrementAndGet();
    }

    @Override
    public List<SessionInfo> sessions() {
        return List.of();
    }

    @Override
    public int disconnect(Collection<String> vpnConnectionIds, String reason) {
        disconnected.addAll(vpnConnectionIds);
        return 0;
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public String status() {
        return status;
    }

    @Override
    public List<TunnelTypeStatus> tunnelTypes() {
        return tunnelTypes;
    }

    @Override
    public void close() {
    }
}
