package io.p2sgw.control.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2sgw.control.store.Database;
import io.p2sgw.control.testing.MutableClock;
import io.p2sgw.control.testing.StoreKind;
import io.p2sgw.dataplane.api.DataPlane;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.SessionListener;
import io.p2sgw.dataplane.api.TunnelType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 17: the health through any instance lists every instance's sessions; a disconnect reaches the holder. */
class SharedSessionsTest {
    private static final String GW = "/subscriptions/s/resourceGroups/RG/providers/Microsoft.Network/virtualNetworkGateways/VNet1GW";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));

    /** A data plane holding the given sessions; a disconnect removes them. */
    static final class SessionsDataPlane implements DataPlane {
        final List<SessionInfo> sessions = new CopyOnWriteArrayList<>();
        final List<String> disconnected = new ArrayList<>();

        @Override public void apply(GatewaySnapshot snapshot) { }
        @Override public void clear() { }
        @Override public List<SessionInfo> sessions() { return List.copyOf(sessions); }
        @Override public int disconnect(Collection<String> ids, String reason) {
            int before = sessions.size();
            sessions.removeIf(s -> ids.contains(s.vpnConnectionId()));
            disconnected.addAll(ids);
            return before - sessions.size();
        }
        @Override public void addListener(SessionListener listener) { }
        @Override public String status() { return "test"; }
        @Override public void close() { }
    }

    private static SessionInfo session(String id, String user, String privateAddress) {
        return new SessionInfo("OpenVPN_" + id, TunnelType.OPENVPN, user, "0123456789abcdef0123456789abcdef01234567",
                new InetSocketAddress(InetAddress.ofLiteral("203.0.113.7"), 50000), privateAddress,
                Instant.parse("2026-12-04T11:00:00Z"), 1, 2, 3, 4);
    }

    private static List<String> ids(List<SessionInfo> sessions) {
        return sessions.stream().map(SessionInfo::vpnConnectionId).toList();
    }

    @Test
    void healthThroughEitherInstanceListsBothAndADisconnectReachesTheHolder() {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        Database db = Database.open(url);
        InstanceRegistry ra = new InstanceRegistry(db, clock, "a", "198.51.100.10", InstanceRegistry.LAPSE);
        InstanceRegistry rb = new InstanceRegistry(db, clock, "b", "198.51.100.11", InstanceRegistry.LAPSE);
        ra.register();
        rb.register();
        SessionsDataPlane da = new SessionsDataPlane();
        SessionsDataPlane dbp = new SessionsDataPlane();
        da.sessions.add(session("a1", "alice", "172.16.201.2"));
        dbp.sessions.add(session("b1", "bob", "172.16.201.130"));
        SharedSessions a = new SharedSessions(db, "a", da, () -> Optional.of(GW), clock);
        SharedSessions b = new SharedSessions(Database.open(url), "b", dbp, () -> Optional.of(GW.toLowerCase()), clock);
        a.report();
        b.report();

        assertEquals(List.of("OpenVPN_a1", "OpenVPN_b1"), ids(a.sessions(GW)));
        assertEquals(List.of("OpenVPN_b1", "OpenVPN_a1"), ids(b.sessions(GW)));
        assertEquals(session("a1", "alice", "172.16.201.2"), b.sessions(GW).get(1), "reported as the holder has it");
        assertEquals(List.of(), ids(a.sessions(GW.replace("VNet1GW", "Other"))));

        // Through a, end b's session: asked of b, which ends it when told.
        assertEquals(1, a.disconnect(GW, List.of("OpenVPN_b1", "OpenVPN_nobody"), "disconnected by admin"));
        assertEquals(List.of(), dbp.disconnected);
        b.actOnDisconnectRequests();
        assertEquals(List.of("OpenVPN_b1"), dbp.disconnected);
        assertEquals(List.of("OpenVPN_a1"), ids(a.sessions(GW)), "b reported again after ending it");
        b.actOnDisconnectRequests();
        assertEquals(List.of("OpenVPN_b1"), dbp.disconnected, "a request is acted on once");

        // The other way round, and a session held where the call arrives is ended at once.
        da.sessions.add(session("a2", "dave", "172.16.201.3"));
        assertEquals(1, b.disconnect(GW, List.of("OpenVPN_a1"), "disconnected by admin"));
        a.actOnDisconnectRequests();
        assertEquals(List.of("OpenVPN_a1"), da.disconnected);
        assertEquals(1, a.disconnect(GW, List.of("OpenVPN_a2"), "disconnected by admin"));
        assertEquals(List.of("OpenVPN_a1", "OpenVPN_a2"), da.disconnected);

        // An instance that is gone takes its report with it.
        dbp.sessions.add(session("b2", "carol", "172.16.201.131"));
        b.report();
        assertEquals(List.of("OpenVPN_b2"), ids(a.sessions(GW)));
        rb.unregister();
        assertEquals(List.of(), ids(a.sessions(GW)));
    }

    private static SessionInfo withCounters(SessionInfo i, long ingressBytes) {
        return new SessionInfo(i.vpnConnectionId(), i.tunnelType(), i.userName(), i.thumbprint(), i.publicAddress(),
                i.privateAddress(), i.startTime(), ingressBytes, i.egressBytes(), i.ingressPackets() + 1, i.egressPackets());
    }

    /** The user names the store holds for instance {@code a}'s rows, by connection id. */
    private static java.util.Map<String, String> rowsOfA(Database db) {
        return db.inTransaction(c -> {
            java.util.Map<String, String> out = new java.util.TreeMap<>();
            try (var s = c.prepareStatement("SELECT vpn_connection_id, user_name, ingress_bytes FROM instance_sessions"
                    + " WHERE instance_name = 'a'"); var r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getString(2) + "/" + r.getLong(3));
                }
            }
            return out;
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReportWritesOnlyTheSessionsThatStartedChangedOrEnded(StoreKind kind) {
        Database db = Database.open(kind.newUrl(dir));
        SessionsDataPlane plane = new SessionsDataPlane();
        SessionInfo changing = session("a1", "alice", "172.16.201.2");
        SessionInfo ending = session("a2", "bob", "172.16.201.3");
        SessionInfo steady = session("a4", "dave", "172.16.201.5");
        plane.sessions.addAll(List.of(changing, ending, steady));
        SharedSessions a = new SharedSessions(db, "a", plane, () -> Optional.of(GW), clock);

        assertEquals(new SharedSessions.ReportChanges(true, 3, 0, 0), a.report(), "the first report writes every row");
        // Mark every row: a row the next reports rewrite loses the mark.
        db.inTransaction(c -> {
            try (var s = c.prepareStatement("UPDATE instance_sessions SET user_name = 'marked'")) {
                return s.executeUpdate();
            }
        });
        assertEquals(new SharedSessions.ReportChanges(false, 0, 0, 0), a.report(), "nothing changed: nothing written");
        assertEquals(java.util.Map.of("OpenVPN_a1", "marked/1", "OpenVPN_a2", "marked/1", "OpenVPN_a4", "marked/1"),
                rowsOfA(db));

        plane.sessions.clear();
        plane.sessions.addAll(List.of(withCounters(changing, 5000), steady, session("a3", "carol", "172.16.201.4")));
        assertEquals(new SharedSessions.ReportChanges(false, 1, 1, 1), a.report());
        assertEquals(java.util.Map.of("OpenVPN_a1", "alice/5000", "OpenVPN_a3", "carol/1", "OpenVPN_a4", "marked/1"),
                rowsOfA(db), "the changed and the new session are written, the ended one removed, the steady one left");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReportAfterTheServedGatewayChangedRewritesEveryRow(StoreKind kind) {
        Database db = Database.open(kind.newUrl(dir));
        SessionsDataPlane plane = new SessionsDataPlane();
        plane.sessions.add(session("a1", "alice", "172.16.201.2"));
        java.util.concurrent.atomic.AtomicReference<Optional<String>> served = new java.util.concurrent.atomic.AtomicReference<>(
                Optional.of(GW));
        SharedSessions a = new SharedSessions(db, "a", plane, served::get, clock);
        a.report();
        served.set(Optional.empty());
        assertEquals(new SharedSessions.ReportChanges(true, 0, 0, 0), a.report());
        assertEquals(java.util.Map.of(), rowsOfA(db), "an instance that serves no gateway reports no session");
        served.set(Optional.of(GW));
        assertEquals(new SharedSessions.ReportChanges(true, 1, 0, 0), a.report());
        assertEquals(java.util.Map.of("OpenVPN_a1", "alice/1"), rowsOfA(db));
    }

    /**
     * Found in the lab (TwoInstancesInteropTest): an instance killed with -9 and restarted under its name came back into
     * {@code instances}, and with it the sessions its dead process had reported; the others listed those ghosts (and
     * routed disconnects to them) until the new process's first heartbeat report.
     */
    @Test
    void aRestartedInstanceDoesNotBringBackItsDeadProcesssSessions() {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        Database db = Database.open(url);
        new InstanceRegistry(db, clock, "a", "198.51.100.10", InstanceRegistry.LAPSE).register();
        InstanceRegistry rb = new InstanceRegistry(db, clock, "b", "198.51.100.11", InstanceRegistry.LAPSE);
        rb.register();
        SessionsDataPlane da = new SessionsDataPlane();
        da.sessions.add(session("a1", "alice", "172.16.201.2"));
        new SharedSessions(db, "a", da, () -> Optional.of(GW), clock).report();
        SharedSessions b = new SharedSessions(db, "b", new SessionsDataPlane(), () -> Optional.of(GW), clock);
        assertEquals(List.of("OpenVPN_a1"), ids(b.sessions(GW)));

        // a is killed (no unregister, no last report) and started again before its heartbeat lapsed.
        new InstanceRegistry(db, clock, "a", "198.51.100.10", InstanceRegistry.LAPSE).register();
        assertEquals(List.of(), ids(b.sessions(GW)), "the dead process's sessions are gone with it");
        assertEquals(0, b.disconnect(GW, List.of("OpenVPN_a1"), "disconnected by admin"), "nothing to ask of the new a");
    }

    /**
     * Issue 17, left over: after a kill -9 the others listed the dead instance's sessions (and counted them against the
     * SKU's caps, and routed disconnects to it) until its heartbeat lapsed, 10 to 12 s. Its presence on the store goes
     * with its process; once that is gone and its heartbeat is past the grace it is dead. A slow instance that keeps its
     * presence stays listed until the lapse.
     */
    @Test
    void aKilledInstancesSessionsLeaveTheListsWithItsPresenceWhileASlowOnesStay() {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        Database db = Database.open(url);
        InstanceRegistry ra = new InstanceRegistry(db, clock, "a", "198.51.100.10", InstanceRegistry.LAPSE);
        InstanceRegistry rb = new InstanceRegistry(Database.open(url), clock, "b", "198.51.100.11", InstanceRegistry.LAPSE);
        ra.register();
        rb.register();
        SessionsDataPlane dbp = new SessionsDataPlane();
        dbp.sessions.add(session("b1", "bob", "172.16.201.130"));
        new SharedSessions(db, "b", dbp, () -> Optional.of(GW), clock, InstanceRegistry.LAPSE).report();
        SharedSessions a = new SharedSessions(db, "a", new SessionsDataPlane(), () -> Optional.of(GW), clock,
                InstanceRegistry.LAPSE);
        assertEquals(List.of("OpenVPN_b1"), ids(a.sessions(GW)));

        // Slow but alive: no heartbeat for the whole lapse, presence kept.
        clock.advance(InstanceRegistry.LAPSE);
        assertEquals(List.of("OpenVPN_b1"), ids(a.sessions(GW)), "a slow instance's sessions do not flicker");

        // Its presence connection broke while it lives: its next heartbeat takes it again.
        rb.heartbeat();
        endPresence(db, "b");
        rb.heartbeat();
        clock.advance(LiveInstances.PRESENCE_GRACE.plusSeconds(1));
        assertEquals(List.of("OpenVPN_b1"), ids(a.sessions(GW)), "present again: listed past the grace");

        // Killed right after a heartbeat: within the grace a lost presence may still be taken again; past it, dead.
        rb.heartbeat();
        io.p2sgw.dataplane.api.ConnectionLimits sku = new io.p2sgw.dataplane.api.ConnectionLimits(128, 10);
        assertEquals(sku.withElsewhere(0, 1), a.withSessionsElsewhere(GW, sku));
        endPresence(db, "b");
        clock.advance(LiveInstances.PRESENCE_GRACE);
        assertEquals(List.of("OpenVPN_b1"), ids(a.sessions(GW)));
        clock.advance(java.time.Duration.ofMillis(1));
        assertEquals(List.of(), ids(a.sessions(GW)), "dead once its presence is gone past the grace, not at the lapse");
        assertEquals(0, a.disconnect(GW, List.of("OpenVPN_b1"), "disconnected by admin"), "nothing is asked of the dead");
        assertEquals(sku, a.withSessionsElsewhere(GW, sku), "nor counted against the SKU's caps");
    }

    /** What PostgreSQL does when an instance's process dies: it ends the backend of its presence connection. */
    private static void endPresence(Database db, String instance) {
        boolean ended = db.inTransaction(c -> {
            long key = io.p2sgw.control.store.InstancePresence.key(
                    io.p2sgw.control.store.InstanceRepository.byName(c, instance).orElseThrow().incarnation());
            try (var s = c.prepareStatement("SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype ="
                    + " 'advisory' AND objsubid = 1 AND classid::bigint = ? AND objid::bigint = ?")) {
                s.setLong(1, key >>> 32);
                s.setLong(2, key & 0xffff_ffffL);
                try (var r = s.executeQuery()) {
                    return r.next() && r.getBoolean(1);
                }
            }
        });
        assertEquals(true, ended, "the presence of " + instance + " was held, and its backend ended");
    }

    /**
     * An instance too slow for the lapse is removed by the others and registers again at its next heartbeat, which
     * clears its session report; its next report must write its sessions again, although none of them changed.
     * Before, it wrote only what changed, and the others did not list its steady sessions until one of them did.
     */
    @Test
    void anInstanceThatRegistersAgainAfterALapseReportsItsSessionsAgain() {
        String url = StoreKind.POSTGRESQL.newUrl(dir);
        Database db = Database.open(url);
        InstanceRegistry ra = new InstanceRegistry(db, clock, "a", "198.51.100.10", InstanceRegistry.LAPSE);
        InstanceRegistry rb = new InstanceRegistry(Database.open(url), clock, "b", "198.51.100.11", InstanceRegistry.LAPSE);
        ra.register();
        rb.register();
        SessionsDataPlane dbp = new SessionsDataPlane();
        dbp.sessions.add(session("b1", "bob", "172.16.201.130"));
        SharedSessions b = new SharedSessions(db, "b", dbp, () -> Optional.of(GW), clock);
        rb.addRegistrationListener(b::forgetReported);
        b.report();
        SharedSessions a = new SharedSessions(db, "a", new SessionsDataPlane(), () -> Optional.of(GW), clock);
        assertEquals(List.of("OpenVPN_b1"), ids(a.sessions(GW)));

        clock.advance(InstanceRegistry.LAPSE.plusMillis(1));
        ra.heartbeat(); // a removes b, whose heartbeat lapsed
        assertEquals(List.of(), ids(a.sessions(GW)));
        rb.heartbeat(); // b finds its entry gone and registers again
        b.report();
        assertEquals(List.of("OpenVPN_b1"), ids(a.sessions(GW)), "b's unchanged session is listed again");
    }
}
