package io.p2sgw.dataplane.api;

import java.util.Collection;
import java.util.List;

/**
 * The data plane as the control plane sees it. Thread-safe.
 *
 * <p>{@link #apply} is idempotent: the data plane diffs the new snapshot against the one it holds and
 * acts (a newly revoked thumbprint or a removed root closes matching sessions at once; a removed tunnel
 * type closes its listener and sessions; an empty tunnel-type set stops the service).
 */
public interface DataPlane extends AutoCloseable {
    /** Installs the desired state. Never blocks on network I/O. */
    void apply(GatewaySnapshot snapshot);

    /** Stops serving entirely (gateway deleted or P2S removed). */
    void clear();

    /** The live sessions. */
    List<SessionInfo> sessions();

    /**
     * Ends the named sessions ({@code disconnectVirtualNetworkGatewayVpnConnections}, azure-p2s.md §6.2).
     *
     * @return how many of the ids named a live session
     */
    int disconnect(Collection<String> vpnConnectionIds, String reason);

    void addListener(SessionListener listener);

    /** A one-line status for logs and the health endpoint: "running", or why it cannot run. */
    String status();

    /** For each tunnel type the served gateway enables: served or not (yet), and why. Empty when nothing is known. */
    default List<TunnelTypeStatus> tunnelTypes() {
        return List.of();
    }

    @Override
    void close();
}
