package io.p2sgw.control.model;

import java.util.List;
import java.util.Optional;

/** The fields of a virtualNetworkGateway that rules and the data plane use (azure-p2s.md §1.3). */
public record VirtualNetworkGateway(
        String name,
        String gatewayType,
        String vpnType,
        GatewaySku sku,
        VpnGatewayGeneration generation,
        boolean activeActive,
        List<IpConfiguration> ipConfigurations,
        Optional<VpnClientConfiguration> vpnClientConfiguration,
        List<Ipv4Cidr> customRoutes) {
    public static final String GATEWAY_TYPE_VPN = "Vpn";
    public static final String VPN_TYPE_ROUTE_BASED = "RouteBased";

    public VirtualNetworkGateway {
        ipConfigurations = List.copyOf(ipConfigurations);
        customRoutes = List.copyOf(customRoutes);
    }

    /** Point-to-site needs gatewayType Vpn and vpnType RouteBased (azure-p2s.md §1.3). */
    public boolean supportsPointToSite() {
        return GATEWAY_TYPE_VPN.equals(gatewayType) && VPN_TYPE_ROUTE_BASED.equals(vpnType);
    }
}
