package io.p2sgw.openvpn.engine;

import java.util.List;
import java.util.Objects;

/**
 * What the server pushes to an admitted client (openvpn.md §8.2).
 *
 * @param address        the client's pool address
 * @param prefixLength   the pool slice's prefix length (topology subnet netmask)
 * @param gatewayAddress the server's address in the pool (route-gateway)
 * @param routes         CIDR prefixes routed through the tunnel
 * @param dnsServers     pushed as {@code dhcp-option DNS}
 */
public record PushConfig(String address, int prefixLength, String gatewayAddress, List<String> routes, List<String> dnsServers) {
    public PushConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gatewayAddress, "gatewayAddress");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
        routes = List.copyOf(routes);
        dnsServers = List.copyOf(dnsServers);
    }
}
