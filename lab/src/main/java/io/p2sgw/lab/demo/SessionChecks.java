package io.p2sgw.lab.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the demo checks in the API's answers, apart from the lab so it can be tested byte for byte: the tunnel types a
 * gateway enables, the tunnel type of a health entry, and whether every client has its own pool address and its own
 * session of the right type.
 */
final class SessionChecks {
    /** The pool's network part (Lab.CLIENT_POOL is 172.16.201.0/24). */
    static final String POOL_PREFIX = "172.16.201.";

    private SessionChecks() {
    }

    /** {@code properties.vpnClientConfiguration.vpnClientProtocols} of a gateway resource, as the API returned it. */
    static List<String> tunnelTypes(JsonNode gateway) {
        JsonNode p = gateway.path("properties").path("vpnClientConfiguration").path("vpnClientProtocols");
        List<String> types = new ArrayList<>();
        p.forEach(t -> types.add(t.asText()));
        return types;
    }

    /** The wanted tunnel types the gateway does not enable (case-insensitive, as the API accepts them). */
    static List<String> missingTunnelTypes(JsonNode gateway, List<String> wanted) {
        List<String> have = tunnelTypes(gateway).stream().map(String::toLowerCase).toList();
        return wanted.stream().filter(w -> !have.contains(w.toLowerCase())).toList();
    }

    /**
     * The tunnel type of a health entry: the prefix of {@code vpnConnectionId} before its first underscore
     * ({@code OpenVPN_…}, {@code IKEv2_…}, {@code SSTP_…}; azure-p2s.md §6.1).
     */
    static String tunnelType(JsonNode session) {
        String id = session.path("vpnConnectionId").asText("");
        int cut = id.indexOf('_');
        return cut > 0 ? id.substring(0, cut) : "?";
    }

    static Optional<JsonNode> sessionOf(List<JsonNode> sessions, String user) {
        return sessions.stream().filter(s -> s.path("vpnUserName").asText().equals(user)).findFirst();
    }

    /** A host address of the pool (not its network or broadcast address). */
    static boolean inPool(String address) {
        if (!address.startsWith(POOL_PREFIX)) {
            return false;
        }
        String host = address.substring(POOL_PREFIX.length());
        return host.matches("\\d{1,3}") && Integer.parseInt(host) > 0 && Integer.parseInt(host) < 255;
    }

    /**
     * Problems with the clients' addresses: each must be a pool address and no two alike.
     *
     * @param addresses tunnel type to the address its client got
     */
    static List<String> addressProblems(Map<String, String> addresses) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        addresses.forEach((type, address) -> {
            if (!inPool(address)) {
                problems.add(type + "'s address " + address + " is not in the pool");
            }
            if (!seen.add(address)) {
                problems.add(type + "'s address " + address + " is another client's too");
            }
        });
        return problems;
    }

    /**
     * Problems with the health list: each expected user must have a session of its tunnel type, with the address its
     * client got.
     *
     * @param expected user (certificate CN) to its tunnel type
     * @param addresses user to the address its client got
     */
    static List<String> sessionProblems(List<JsonNode> sessions, Map<String, String> expected, Map<String, String> addresses) {
        List<String> problems = new ArrayList<>();
        expected.forEach((user, type) -> {
            Optional<JsonNode> s = sessionOf(sessions, user);
            if (s.isEmpty()) {
                problems.add("no session for " + user + " (" + type + ")");
            } else if (!tunnelType(s.get()).equals(type)) {
                problems.add(user + "'s session is " + tunnelType(s.get()) + ", not " + type);
            } else if (addresses.containsKey(user) && !addresses.get(user).equals(s.get().path("privateIpAddress").asText())) {
                problems.add(user + "'s session has " + s.get().path("privateIpAddress").asText() + ", the client "
                        + addresses.get(user));
            }
        });
        return problems;
    }

    /** A line of the server log naming this thumbprint as revoked (the reason a reconnect was refused). */
    static Optional<String> revocationLine(String serverLog, String thumbprint) {
        return serverLog.lines().filter(l -> l.contains(thumbprint) && l.contains("REVOKED")).reduce((a, b) -> b).map(String::strip);
    }
}
