package io.p2sgw.control.snapshot;

import io.p2sgw.control.instance.Membership;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.service.GatewayState;
import io.p2sgw.control.service.NetworkService;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data plane in step with the store: after every committed write (through this instance, or through
 * another one sharing the store, {@code StoreChangeWatcher}) and every change of the live instances, it recompiles
 * the served gateway's snapshot and applies it when it changed, or clears the data plane when there is nothing to
 * serve. The served gateway is the configured one, else the oldest gateway with a vpnClientConfiguration. Which part
 * of its pool this instance serves, if any, follows from the live instances ({@link Membership#roleFor}).
 */
public final class GatewayPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayPublisher.class);

    private final NetworkService service;
    private final DataPlane dataPlane;
    private final Optional<String> configuredGatewayId;
    private final String serverName;
    private final Supplier<Membership> membership;
    private final SessionsElsewhere sessionsElsewhere;
    private long version = System.currentTimeMillis();
    private Optional<GatewaySnapshot> applied = Optional.empty();
    /** True while another instance serves the gateway ({@link Membership.Standby}). */
    private boolean standby;

    /** The publisher of the only instance of a store: it serves the whole pool. */
    public GatewayPublisher(NetworkService service, DataPlane dataPlane, Optional<String> configuredGatewayId, String serverName) {
        this(service, dataPlane, configuredGatewayId, serverName, () -> Membership.alone(serverName));
    }

    public GatewayPublisher(NetworkService service, DataPlane dataPlane, Optional<String> configuredGatewayId,
                            String serverName, Supplier<Membership> membership) {
        this(service, dataPlane, configuredGatewayId, serverName, membership, SessionsElsewhere.NONE);
    }

    /**
     * The sessions the gateway's other instances hold, which count against its SKU caps (issue 17): the snapshot
     * carries them ({@code ConnectionLimits.elsewhere}), so a {@link #refresh()} after the others report brings them
     * to the data plane's admission.
     */
    @FunctionalInterface
    public interface SessionsElsewhere {
        SessionsElsewhere NONE = (gatewayId, sku) -> sku;

        ConnectionLimits count(String gatewayId, ConnectionLimits sku);
    }

    public GatewayPublisher(NetworkService service, DataPlane dataPlane, Optional<String> configuredGatewayId,
                            String serverName, Supplier<Membership> membership, SessionsElsewhere sessionsElsewhere) {
        this.sessionsElsewhere = sessionsElsewhere;
        this.service = service;
        this.dataPlane = dataPlane;
        this.configuredGatewayId = configuredGatewayId;
        this.serverName = serverName;
        this.membership = membership;
    }

    /** The gateway that is served now, if any. */
    public synchronized Optional<String> servedGatewayId() {
        return applied.map(GatewaySnapshot::gatewayId);
    }

    public synchronized Optional<GatewaySnapshot> current() {
        return applied;
    }

    private Optional<GatewayState> select() {
        if (configuredGatewayId.isPresent()) {
            String key = configuredGatewayId.get().toLowerCase(Locale.ROOT);
            return ResourceRef.parseNetworkId(configuredGatewayId.get())
                    .flatMap(p -> service.gatewayState(p.ref()))
                    .filter(s -> s.ref().key().equals(key));
        }
        return service.gatewayStates().stream().filter(s -> s.gateway().vpnClientConfiguration().isPresent()).findFirst();
    }

    /** Recompiles and applies if anything changed. Never throws: a data-plane failure is logged. */
    public synchronized void refresh() {
        try {
            Optional<GatewayState> state = select();
            if (state.isEmpty()) {
                if (applied.isPresent()) {
                    LOG.info("no gateway to serve any more ({}); clearing the data plane", applied.get().gatewayName());
                    applied = Optional.empty();
                    dataPlane.clear();
                }
                return;
            }
            Membership.Role role = membership.get().roleFor(state.get().gateway().activeActive());
            if (!(role instanceof Membership.Serves serves)) {
                if (applied.isPresent() || !standby) {
                    LOG.info("standing by for gateway {}: {}", state.get().ref().name(), ((Membership.Standby) role).reason());
                    applied = Optional.empty();
                    standby = true;
                    dataPlane.clear();
                }
                return;
            }
            standby = false;
            ConnectionLimits limits = sessionsElsewhere.count(state.get().ref().id(), state.get().gateway().sku().limits());
            GatewaySnapshot candidate = SnapshotCompiler.compile(state.get(), serverName, version, serves.instanceIndex(),
                    serves.instanceCount(), limits);
            if (applied.isPresent() && applied.get().sameDesiredState(candidate)) {
                return;
            }
            GatewaySnapshot next = candidate.withVersion(++version);
            boolean onlyCountsChanged = applied.isPresent() && applied.get().withVersion(next.version())
                    .equals(SnapshotCompiler.compile(state.get(), serverName, next.version(), serves.instanceIndex(),
                            serves.instanceCount(), applied.get().limits()));
            dataPlane.apply(next);
            applied = Optional.of(next);
            if (onlyCountsChanged) {
                LOG.debug("applied snapshot v{}: the gateway's other instances hold {} SSTP and {} IKEv2/OpenVPN sessions",
                        next.version(), limits.sstpElsewhere(), limits.ikev2AndOpenVpnElsewhere());
                return;
            }
            LOG.info("applied snapshot v{} of gateway {} ({} tunnel types, {} trusted certificates, {} revoked; pool part {}"
                    + " of {})", next.version(), next.gatewayId(), next.tunnelTypes().size(),
                    next.trustedCertificates().size(), next.revokedThumbprints().size(), next.instanceIndex() + 1,
                    next.instanceCount());
        } catch (RuntimeException e) {
            LOG.error("could not apply the gateway snapshot to the data plane: {}", e.toString());
        }
    }
}
