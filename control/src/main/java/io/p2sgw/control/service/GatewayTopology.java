package io.p2sgw.control.service;

import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.model.VirtualNetworkGateway;
import io.p2sgw.control.rules.GatewayRules;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * Which resources a gateway uses (its VNet's GatewaySubnet, its public IPs): the references that keep a VNet, a
 * subnet or a public IP from being deleted or changed under a gateway.
 */
final class GatewayTopology {
    private GatewayTopology() {}

    record GatewayOnVnet(ResourceRef ref, VirtualNetworkGateway gateway) {}

    static VirtualNetworkGateway readStoredGateway(StoredResource g) {
        return GatewayRules.read(g.ref().name(), g.ref().id(), g.body());
    }

    static List<GatewayOnVnet> gatewaysOn(Connection c, ResourceRef vnet) throws SQLException {
        List<GatewayOnVnet> out = new ArrayList<>();
        for (StoredResource g : ResourceRepository.list(c, vnet.subscription(), Optional.empty(), ResourceType.VIRTUAL_NETWORK_GATEWAY)) {
            VirtualNetworkGateway gw = readStoredGateway(g);
            if (vnetOf(gw).map(v -> v.key().equals(vnet.key())).orElse(false)) {
                out.add(new GatewayOnVnet(g.ref(), gw));
            }
        }
        return out;
    }

    static Optional<ResourceRef> vnetOf(VirtualNetworkGateway gw) {
        return gw.ipConfigurations().stream().findFirst()
                .flatMap(ipc -> ResourceRef.parseNetworkId(ipc.subnetId()))
                .map(ResourceRef.Parsed::ref)
                .filter(r -> r.type() == ResourceType.VIRTUAL_NETWORK);
    }

    /** The gateway ipConfiguration that uses a public IP, other than the given gateway's own. */
    static Optional<String> publicIpUser(Connection c, ResourceRef pip, Optional<ResourceRef> exceptGateway) throws SQLException {
        for (StoredResource g : ResourceRepository.list(c, pip.subscription(), Optional.empty(), ResourceType.VIRTUAL_NETWORK_GATEWAY)) {
            if (exceptGateway.isPresent() && exceptGateway.get().key().equals(g.ref().key())) {
                continue;
            }
            for (var ipc : g.body().path("properties").path("ipConfigurations")) {
                String id = ipc.path("properties").path("publicIPAddress").path("id").asText();
                if (id.equalsIgnoreCase(pip.id())) {
                    return Optional.of(ipc.path("id").asText());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Which gateway ipConfiguration uses each public IP of the subscription: public IP id (lower case, as ARM compares
     * ids) to the ipConfiguration's id. One read of the gateways for a whole list of public IPs.
     */
    static Map<String, String> publicIpUsers(Connection c, String subscription) throws SQLException {
        Map<String, String> users = new HashMap<>();
        for (StoredResource g : ResourceRepository.list(c, subscription, Optional.empty(), ResourceType.VIRTUAL_NETWORK_GATEWAY)) {
            for (var ipc : g.body().path("properties").path("ipConfigurations")) {
                String id = ipc.path("properties").path("publicIPAddress").path("id").asText();
                if (!id.isEmpty()) {
                    users.putIfAbsent(id.toLowerCase(Locale.ROOT), ipc.path("id").asText());
                }
            }
        }
        return users;
    }

    static ArmException subnetInUse(GatewayOnVnet g, String subnet) {
        return ArmException.badRequest("InUseSubnetCannotBeDeleted", "Subnet " + subnet + " is in use by "
                + g.ref().id() + "/ipConfigurations/" + g.gateway().ipConfigurations().getFirst().name()
                + " and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet.");
    }
}
