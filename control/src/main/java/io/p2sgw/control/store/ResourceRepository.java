package io.p2sgw.control.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** JDBC access to resources, subscriptions and gateway secrets. Every method runs inside the caller's transaction. */
public final class ResourceRepository {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResourceRepository() {}

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Subscriptions are free-form namespaces, created on first use. */
    public static void ensureSubscription(Connection c, String subscription) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM subscriptions WHERE subscription_key = ?")) {
            s.setString(1, lower(subscription));
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO subscriptions (subscription_key, subscription_id, created_at) VALUES (?, ?, ?)")) {
            s.setString(1, lower(subscription));
            s.setString(2, subscription);
            s.setString(3, Instant.now().toString());
            s.executeUpdate();
        }
    }

    public static Optional<StoredResource> get(Connection c, ResourceRef ref) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT resource_type, body, etag, created_seq FROM resources WHERE resource_key = ?")) {
            s.setString(1, ref.key());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    /** Resources of one type in a group (or the whole subscription when group is empty), oldest first. */
    public static List<StoredResource> list(Connection c, String subscription, Optional<String> group, ResourceType type)
            throws SQLException {
        String sql = "SELECT resource_type, body, etag, created_seq FROM resources WHERE subscription_key = ? AND resource_type = ?"
                + (group.isPresent() ? " AND group_key = ?" : "") + " ORDER BY created_seq";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, lower(subscription));
            s.setString(2, type.armType());
            if (group.isPresent()) {
                s.setString(3, lower(group.get()));
            }
            return rows(s);
        }
    }

    /** Every resource of a type in every subscription, oldest first. */
    public static List<StoredResource> listAll(Connection c, ResourceType type) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT resource_type, body, etag, created_seq FROM resources WHERE resource_type = ? ORDER BY created_seq")) {
            s.setString(1, type.armType());
            return rows(s);
        }
    }

    private static List<StoredResource> rows(PreparedStatement s) throws SQLException {
        List<StoredResource> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(row(r));
            }
        }
        return out;
    }

    private static StoredResource row(ResultSet r) throws SQLException {
        ObjectNode body;
        try {
            body = (ObjectNode) JSON.readTree(r.getString("body"));
        } catch (JsonProcessingException e) {
            throw new SQLException("stored document is not JSON", e);
        }
        ResourceType type = typeOf(r.getString("resource_type"));
        return new StoredResource(refFromId(type, body.get("id").asText()), body, r.getString("etag"), r.getLong("created_seq"));
    }

    private static ResourceType typeOf(String armType) throws SQLException {
        for (ResourceType t : ResourceType.values()) {
            if (t.armType().equals(armType)) {
                return t;
            }
        }
        throw new SQLException("unknown stored resource type " + armType);
    }

    static ResourceRef refFromId(ResourceType type, String id) throws SQLException {
        if (type == ResourceType.RESOURCE_GROUP) {
            String[] parts = id.split("/");
            if (parts.length != 5) {
                throw new SQLException("bad stored resource group id " + id);
            }
            return ResourceRef.resourceGroup(parts[2], parts[4]);
        }
        return ResourceRef.parseNetworkId(id).orElseThrow(() -> new SQLException("bad stored id " + id)).ref();
    }

    /** Inserts a new resource; returns its creation sequence number. */
    public static long insert(Connection c, ResourceRef ref, ObjectNode body, String etag) throws SQLException {
        long seq;
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(created_seq), 0) + 1 FROM resources");
             ResultSet r = s.executeQuery()) {
            r.next();
            seq = r.getLong(1);
        }
        String now = Instant.now().toString();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO resources (resource_key, subscription_key, group_key,"
                + " resource_type, name, body, etag, created_seq, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, ref.key());
            s.setString(2, lower(ref.subscription()));
            s.setString(3, lower(ref.resourceGroup()));
            s.setString(4, ref.type().armType());
            s.setString(5, ref.name());
            s.setString(6, body.toString());
            s.setString(7, etag);
            s.setLong(8, seq);
            s.setString(9, now);
            s.setString(10, now);
            s.executeUpdate();
        }
        return seq;
    }

    /**
     * Replaces a resource's document only if its etag is still {@code expectedEtag} (optimistic
     * concurrency across instances sharing PostgreSQL). Returns false when someone else changed it.
     */
    public static boolean update(Connection c, ResourceRef ref, ObjectNode body, String expectedEtag, String newEtag)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE resources SET body = ?, etag = ?, updated_at = ? WHERE resource_key = ? AND etag = ?")) {
            s.setString(1, body.toString());
            s.setString(2, newEtag);
            s.setString(3, Instant.now().toString());
            s.setString(4, ref.key());
            s.setString(5, expectedEtag);
            return s.executeUpdate() == 1;
        }
    }

    public static boolean delete(Connection c, ResourceRef ref) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM gateway_secrets WHERE resource_key = ?")) {
            s.setString(1, ref.key());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM resources WHERE resource_key = ?")) {
            s.setString(1, ref.key());
            return s.executeUpdate() == 1;
        }
    }

    public static void putStaticKey(Connection c, ResourceRef gateway, byte[] key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM gateway_secrets WHERE resource_key = ?")) {
            s.setString(1, gateway.key());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO gateway_secrets (resource_key, openvpn_static_key) VALUES (?, ?)")) {
            s.setString(1, gateway.key());
            s.setString(2, HexFormat.of().formatHex(key));
            s.executeUpdate();
        }
    }

    public static Optional<byte[]> staticKey(Connection c, ResourceRef gateway) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT openvpn_static_key FROM gateway_secrets WHERE resource_key = ?")) {
            s.setString(1, gateway.key());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(HexFormat.of().parseHex(r.getString(1))) : Optional.empty();
            }
        }
    }
}
