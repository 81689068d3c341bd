package io.p2sgw.control.store;

import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.TunnelType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sessions as each instance reports them, and disconnects asked of the instance that holds a session (issue 17).
 * Every method runs inside the caller's transaction.
 */
public final class SessionReportRepository {
    /** A disconnect asked through another instance. */
    public record DisconnectRequest(String vpnConnectionId, String reason) {}

    private SessionReportRepository() {}

    /** Replaces what {@code instance} reported with {@code sessions} of {@code gatewayId}. */
    public static void replace(Connection c, String instance, Optional<String> gatewayId, Collection<SessionInfo> sessions)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM instance_sessions WHERE instance_name = ?")) {
            s.setString(1, instance);
            s.executeUpdate();
        }
        if (gatewayId.isEmpty()) {
            return;
        }
        insert(c, instance, gatewayId.get(), sessions);
    }

    /** Adds sessions of {@code gatewayId} to what {@code instance} reported. */
    public static void insert(Connection c, String instance, String gatewayId, Collection<SessionInfo> sessions)
            throws SQLException {
        if (sessions.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO instance_sessions (gateway_id, tunnel_type, user_name,"
                + " thumbprint, public_ip, public_port, private_address, start_time, ingress_bytes, egress_bytes,"
                + " ingress_packets, egress_packets, instance_name, vpn_connection_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (SessionInfo i : sessions) {
                bind(s, instance, gatewayId, i);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Rewrites the rows of sessions whose details (counters, mostly) changed since {@code instance} reported them. */
    public static void update(Connection c, String instance, String gatewayId, Collection<SessionInfo> sessions)
            throws SQLException {
        if (sessions.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE instance_sessions SET gateway_id = ?, tunnel_type = ?,"
                + " user_name = ?, thumbprint = ?, public_ip = ?, public_port = ?, private_address = ?, start_time = ?,"
                + " ingress_bytes = ?, egress_bytes = ?, ingress_packets = ?, egress_packets = ?"
                + " WHERE instance_name = ? AND vpn_connection_id = ?")) {
            for (SessionInfo i : sessions) {
                bind(s, instance, gatewayId, i);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Removes sessions that ended from what {@code instance} reported. */
    public static void delete(Connection c, String instance, Collection<String> vpnConnectionIds) throws SQLException {
        if (vpnConnectionIds.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM instance_sessions WHERE instance_name = ? AND vpn_connection_id = ?")) {
            for (String id : vpnConnectionIds) {
                s.setString(1, instance);
                s.setString(2, id);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** The parameters of {@link #insert} and {@link #update}: the details first, the key last. */
    private static void bind(PreparedStatement s, String instance, String gatewayId, SessionInfo i) throws SQLException {
        s.setString(1, gatewayId.toLowerCase(java.util.Locale.ROOT));
        s.setString(2, i.tunnelType().name());
        s.setString(3, i.userName());
        s.setString(4, i.thumbprint());
        s.setString(5, i.publicAddress().getAddress().getHostAddress());
        s.setInt(6, i.publicAddress().getPort());
        s.setString(7, i.privateAddress());
        s.setLong(8, i.startTime().toEpochMilli());
        s.setLong(9, i.ingressBytes());
        s.setLong(10, i.egressBytes());
        s.setLong(11, i.ingressPackets());
        s.setLong(12, i.egressPackets());
        s.setString(13, instance);
        s.setString(14, i.vpnConnectionId());
    }

    /**
     * The sessions of {@code gatewayId} reported by the {@code live} instances other than {@code self}, by instance
     * (an instance that is gone takes its report with it: being alive is what makes it count).
     */
    public static Map<String, List<SessionInfo>> othersSessions(Connection c, String self, String gatewayId,
                                                                Set<String> live) throws SQLException {
        Map<String, List<SessionInfo>> out = new java.util.TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT s.instance_name, s.vpn_connection_id, s.tunnel_type,"
                + " s.user_name, s.thumbprint, s.public_ip, s.public_port, s.private_address, s.start_time, s.ingress_bytes,"
                + " s.egress_bytes, s.ingress_packets, s.egress_packets FROM instance_sessions s JOIN instances i"
                + " ON i.name = s.instance_name WHERE s.instance_name <> ? AND s.gateway_id = ?"
                + " ORDER BY s.instance_name, s.start_time, s.vpn_connection_id")) {
            s.setString(1, self);
            s.setString(2, gatewayId.toLowerCase(java.util.Locale.ROOT));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (!live.contains(r.getString(1))) {
                        continue;
                    }
                    out.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(new SessionInfo(r.getString(2),
                            TunnelType.valueOf(r.getString(3)), r.getString(4), r.getString(5),
                            new InetSocketAddress(InetAddress.ofLiteral(r.getString(6)), r.getInt(7)), r.getString(8),
                            Instant.ofEpochMilli(r.getLong(9)), r.getLong(10), r.getLong(11), r.getLong(12), r.getLong(13)));
                }
            }
        }
        return out;
    }

    /**
     * How many sessions of {@code gatewayId} the {@code live} instances other than {@code self} reported, by tunnel
     * type; a type without sessions is absent.
     */
    public static Map<TunnelType, Integer> countOthers(Connection c, String self, String gatewayId, Set<String> live)
            throws SQLException {
        Map<TunnelType, Integer> out = new java.util.EnumMap<>(TunnelType.class);
        try (PreparedStatement s = c.prepareStatement("SELECT s.instance_name, s.tunnel_type, COUNT(*) FROM instance_sessions s"
                + " JOIN instances i ON i.name = s.instance_name WHERE s.instance_name <> ? AND s.gateway_id = ?"
                + " GROUP BY s.instance_name, s.tunnel_type")) {
            s.setString(1, self);
            s.setString(2, gatewayId.toLowerCase(java.util.Locale.ROOT));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (live.contains(r.getString(1))) {
                        out.merge(TunnelType.valueOf(r.getString(2)), r.getInt(3), Integer::sum);
                    }
                }
            }
        }
        return out;
    }

    /** Which {@code live} instance other than {@code self} reported a session, if any. */
    public static Optional<String> holderOf(Connection c, String self, String vpnConnectionId, Set<String> live)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT s.instance_name FROM instance_sessions s JOIN instances i"
                + " ON i.name = s.instance_name WHERE s.instance_name <> ? AND s.vpn_connection_id = ?")) {
            s.setString(1, self);
            s.setString(2, vpnConnectionId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (live.contains(r.getString(1))) {
                        return Optional.of(r.getString(1));
                    }
                }
                return Optional.empty();
            }
        }
    }

    public static void requestDisconnect(Connection c, String instance, String vpnConnectionId, String reason, Instant at)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM disconnect_requests WHERE instance_name = ? AND vpn_connection_id = ?")) {
            s.setString(1, instance);
            s.setString(2, vpnConnectionId);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO disconnect_requests (instance_name, vpn_connection_id,"
                + " reason, requested_at) VALUES (?, ?, ?, ?)")) {
            s.setString(1, instance);
            s.setString(2, vpnConnectionId);
            s.setString(3, reason.length() > 400 ? reason.substring(0, 400) : reason);
            s.setLong(4, at.toEpochMilli());
            s.executeUpdate();
        }
    }

    /** The disconnects asked of {@code instance}, which are removed: the caller acts on them. */
    public static List<DisconnectRequest> takeDisconnectRequests(Connection c, String instance) throws SQLException {
        List<DisconnectRequest> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT vpn_connection_id, reason FROM disconnect_requests WHERE instance_name = ?")) {
            s.setString(1, instance);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new DisconnectRequest(r.getString(1), r.getString(2)));
                }
            }
        }
        // Only those read: one asked meanwhile (PostgreSQL, read committed) stays for the next time.
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM disconnect_requests WHERE instance_name = ? AND vpn_connection_id = ?")) {
            for (DisconnectRequest d : out) {
                s.setString(1, instance);
                s.setString(2, d.vpnConnectionId());
                s.addBatch();
            }
            if (!out.isEmpty()) {
                s.executeBatch();
            }
        }
        return out;
    }
}
