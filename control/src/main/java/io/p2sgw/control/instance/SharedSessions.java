package io.p2sgw.control.instance;

import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.SessionReportRepository;
import io.p2sgw.control.store.SessionReportRepository.DisconnectRequest;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.TunnelType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of every instance sharing a store (issue 17): each instance reports its own into the store
 * ({@link #report()}, on its heartbeat), so that the connection health through any instance lists all of them; a
 * disconnect through any instance is asked of the instance that holds the session, which acts on it when the store
 * notifies it ({@link #actOnDisconnectRequests()}). The local data plane is always asked directly: its own sessions
 * are never older than the last report.
 */
public final class SharedSessions {
    private static final Logger LOG = LoggerFactory.getLogger(SharedSessions.class);

    private final Database db;
    private final String self;
    private final DataPlane dataPlane;
    private final Supplier<Optional<String>> servedGatewayId;
    private final Clock clock;
    private final LiveInstances live;

    /** With the registry's default lapse ({@link InstanceRegistry#LAPSE}). */
    public SharedSessions(Database db, String self, DataPlane dataPlane, Supplier<Optional<String>> servedGatewayId,
                          Clock clock) {
        this(db, self, dataPlane, servedGatewayId, clock, InstanceRegistry.LAPSE);
    }

    /** @param lapse the registry's: an instance silent for longer is dead ({@link LiveInstances}) */
    public SharedSessions(Database db, String self, DataPlane dataPlane, Supplier<Optional<String>> servedGatewayId,
                          Clock clock, Duration lapse) {
        this.db = db;
        this.self = self;
        this.dataPlane = dataPlane;
        this.servedGatewayId = servedGatewayId;
        this.clock = clock;
        this.live = new LiveInstances(clock, lapse, db.isPostgresql());
    }

    /**
     * What one {@link #report()} wrote: every row of this instance ({@code full}: the first report, or the first after
     * a failed one or a change of the served gateway, when what the store holds is not known), or only the sessions
     * that started, changed (their counters, mostly) or ended since the last report.
     */
    public record ReportChanges(boolean full, int inserted, int updated, int deleted) {
        static final ReportChanges NONE = new ReportChanges(false, 0, 0, 0);
    }

    /** What the store holds of this instance's sessions since the last report that committed. */
    private record Reported(Optional<String> gatewayKey, Map<String, SessionInfo> sessions) {}

    /** Null when unknown: nothing reported yet, or the last write failed. */
    private Reported reported;

    /**
     * Brings this instance's sessions in the store up to date (every heartbeat): only what changed since the last report
     * is written, so a busy instance does not rewrite all its rows every two seconds; nothing is written when nothing
     * changed.
     */
    public synchronized ReportChanges report() {
        Optional<String> served = servedGatewayId.get();
        Optional<String> gatewayKey = served.map(id -> id.toLowerCase(Locale.ROOT));
        Map<String, SessionInfo> now = new LinkedHashMap<>();
        if (served.isPresent()) {
            dataPlane.sessions().forEach(i -> now.put(i.vpnConnectionId(), i));
        }
        Reported before = reported;
        reported = null;
        ReportChanges changes;
        if (before == null || !before.gatewayKey().equals(gatewayKey)) {
            db.inTransaction(c -> {
                SessionReportRepository.replace(c, self, gatewayKey, now.values());
                return null;
            });
            changes = new ReportChanges(true, now.size(), 0, 0);
        } else {
            List<SessionInfo> started = new ArrayList<>();
            List<SessionInfo> changed = new ArrayList<>();
            for (SessionInfo i : now.values()) {
                SessionInfo was = before.sessions().get(i.vpnConnectionId());
                if (was == null) {
                    started.add(i);
                } else if (!was.equals(i)) {
                    changed.add(i);
                }
            }
            List<String> ended = before.sessions().keySet().stream().filter(id -> !now.containsKey(id)).toList();
            if (started.isEmpty() && changed.isEmpty() && ended.isEmpty()) {
                changes = ReportChanges.NONE;
            } else {
                String gateway = gatewayKey.orElseThrow(); // without a served gateway there are no sessions to change
                db.inTransaction(c -> {
                    SessionReportRepository.delete(c, self, ended);
                    SessionReportRepository.update(c, self, gateway, changed);
                    SessionReportRepository.insert(c, self, gateway, started);
                    return null;
                });
                changes = new ReportChanges(false, started.size(), changed.size(), ended.size());
            }
        }
        reported = new Reported(gatewayKey, Map.copyOf(now));
        return changes;
    }

    /**
     * Forgets what this instance reported, because the store no longer holds it: a registration after a lapse cleared
     * it ({@link InstanceRegistry#addRegistrationListener}). The next {@link #report()} writes every row again, instead
     * of writing only what changed and leaving the others without this instance's steady sessions.
     */
    public synchronized void forgetReported() {
        reported = null;
    }

    /**
     * The sessions of {@code gatewayId}: this instance's own (if it serves the gateway), then the reports of the other
     * instances that are alive ({@link LiveInstances}: a killed instance's sessions are not listed).
     */
    public List<SessionInfo> sessions(String gatewayId) {
        List<SessionInfo> out = new ArrayList<>(servesGateway(gatewayId) ? dataPlane.sessions() : List.of());
        Map<String, List<SessionInfo>> others = db.inTransaction(c -> SessionReportRepository.othersSessions(c, self,
                gatewayId, live.names(c)));
        others.values().forEach(out::addAll);
        return out;
    }

    /**
     * The gateway's SKU caps with the sessions the other live instances reported (issue 17): the cap is the gateway's,
     * so this instance admits only what is left of it. As fresh as the others' last reports (one heartbeat).
     */
    public ConnectionLimits withSessionsElsewhere(String gatewayId, ConnectionLimits sku) {
        Map<TunnelType, Integer> others = db.inTransaction(c -> SessionReportRepository.countOthers(c, self, gatewayId,
                live.names(c)));
        int sstp = 0;
        int ikev2AndOpenVpn = 0;
        for (Map.Entry<TunnelType, Integer> e : others.entrySet()) {
            if (e.getKey() == TunnelType.SSTP) {
                sstp += e.getValue();
            } else {
                ikev2AndOpenVpn += e.getValue();
            }
        }
        return sku.withElsewhere(sstp, ikev2AndOpenVpn);
    }

    /**
     * Ends the sessions among {@code ids} that this instance holds, and asks the others for theirs (they are told at
     * once, through the store's notification). Returns how many were ended here plus how many were asked elsewhere.
     */
    public int disconnect(String gatewayId, Collection<String> ids, String reason) {
        Set<String> local = servesGateway(gatewayId)
                ? dataPlane.sessions().stream().map(SessionInfo::vpnConnectionId).collect(Collectors.toSet()) : Set.of();
        List<String> here = ids.stream().filter(local::contains).toList();
        Set<String> elsewhere = new LinkedHashSet<>(ids);
        here.forEach(elsewhere::remove);
        int ended = here.isEmpty() ? 0 : dataPlane.disconnect(here, reason);
        if (elsewhere.isEmpty()) {
            return ended;
        }
        int asked = db.inChangingTransaction(c -> {
            int n = 0;
            Set<String> alive = live.names(c);
            for (String id : elsewhere) {
                Optional<String> holder = SessionReportRepository.holderOf(c, self, id, alive);
                if (holder.isPresent()) {
                    SessionReportRepository.requestDisconnect(c, holder.get(), id, reason, clock.instant());
                    n++;
                }
            }
            return n;
        });
        return ended + asked;
    }

    /** Ends the sessions other instances asked this one to end. */
    public void actOnDisconnectRequests() {
        List<DisconnectRequest> asked = db.inTransaction(c -> SessionReportRepository.takeDisconnectRequests(c, self));
        for (DisconnectRequest d : asked) {
            int n = dataPlane.disconnect(List.of(d.vpnConnectionId()), d.reason());
            LOG.info("disconnect of {} asked through another instance ({}): {} ended", d.vpnConnectionId(), d.reason(), n);
        }
        if (!asked.isEmpty()) {
            report();
        }
    }

    private boolean servesGateway(String gatewayId) {
        return servedGatewayId.get().map(id -> id.equalsIgnoreCase(gatewayId)).orElse(false);
    }
}
