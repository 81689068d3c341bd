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
    /** The sessions it reports; a test adds them, {@link #disconnect} removes them. */
    public final List<SessionInfo> sessions = new CopyOnWriteArrayList<>();
    /** The snapshot being served: the last applied, empty after a {@link #clear}. */
    private volatile Optional<GatewaySnapshot> current = Optional.empty();
    private final AtomicInteger clears = new AtomicInteger();
    private volatile String status = "running";
    private volatile List<TunnelTypeStatus> tunnelTypes = List.of();

    /** The last snapshot applied. */
    public Optional<GatewaySnapshot> last() {
        return applied.isEmpty() ? Optional.empty() : Optional.of(applied.getLast());
    }

    /** The snapshot it serves now: the last applied, or empty when a {@link #clear} came after it. */
    public Optional<GatewaySnapshot> current() {
        return current;
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
        current = Optional.of(snapshot);
    }

    @Override
    public void clear() {
        clears.incrementAndGet();
        current = Optional.empty();
    }

    @Override
    public List<SessionInfo> sessions() {
        return List.copyOf(sessions);
    }

    @Override
    public int disconnect(Collection<String> vpnConnectionIds, String reason) {
        disconnected.addAll(vpnConnectionIds);
        int before = sessions.size();
        sessions.removeIf(s -> vpnConnectionIds.contains(s.vpnConnectionId()));
        return before - sessions.size();
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
