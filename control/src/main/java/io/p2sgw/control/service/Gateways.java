package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.IpConfiguration;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.model.Subnet;
import io.p2sgw.control.model.VirtualNetwork;
import io.p2sgw.control.model.VirtualNetworkGateway;
import io.p2sgw.control.rules.GatewayRules;
import io.p2sgw.control.rules.NameRules;
import io.p2sgw.control.rules.VirtualNetworkRules;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Virtual network gateways: every rule on the gateway itself (GatewayRules), where it sits (its VNet's
 * GatewaySubnet, its public IPs), and its certificate collections (child collections: a certificate write is a
 * gateway write, so the gateway's rules check the result).
 */
final class Gateways {
    private final SecureRandom random;
    private final Map<GatewayChild, ChildCollection> children = new EnumMap<>(GatewayChild.class);

    Gateways(SecureRandom random) {
        this.random = random;
        for (GatewayChild kind : GatewayChild.values()) {
            children.put(kind, new ChildCollection(kind.property(),
                    doc -> ChildCollection.arrayAt(doc, "properties", "vpnClientConfiguration", kind.property()),
                    (ref, doc) -> childrenOf(ref, doc, kind),
                    (c, ref, doc) -> put(c, ref, doc, Preconditions.NONE)));
        }
    }

    ChildCollection children(GatewayChild kind) {
        return children.get(kind);
    }

    WriteResult put(Connection c, ResourceRef ref, ObjectNode body, Preconditions pre) throws SQLException {
        NameRules.requireValid(ref.name(), 1, NameRules.GATEWAY_MAX);
        StoredDocuments.requireGroup(c, ref);
        Optional<StoredResource> existing = ResourceRepository.get(c, ref);
        pre.check(ref.id(), existing.map(StoredResource::etag));
        ResourceRef stored = existing.map(StoredResource::ref).orElse(ref);
        String location = StoredDocuments.location(body, existing);
        VirtualNetworkGateway gw = GatewayRules.read(stored.name(), stored.id(), body);
        checkTopology(c, stored, gw, existing);
        String etag = Renderer.newEtag();
        // Provisioning is simulated: Updating now, Succeeded shortly after (finishProvisioning).
        ObjectNode doc = Renderer.gateway(stored, body, gw, location, etag, StoredDocuments.guid(existing), Renderer.UPDATING);
        StoredDocuments.save(c, stored, existing, doc, etag);
        if (existing.isEmpty()) {
            GatewayStates.newStaticKey(c, stored, random);
        }
        return new WriteResult(doc, existing.isEmpty());
    }

    private static ArmException badReference(String referenced, ResourceRef by) {
        return ArmException.badRequest("InvalidResourceReference", "Resource " + referenced + " referenced by resource "
                + by.id() + " was not found. Please make sure that the referenced resource exists, and that both"
                + " resources are in the same region.");
    }

    private static void checkTopology(Connection c, ResourceRef ref, VirtualNetworkGateway gw, Optional<StoredResource> existing)
            throws SQLException {
        ResourceRef vnetRef = null;
        List<String> pips = new ArrayList<>();
        for (IpConfiguration ipc : gw.ipConfigurations()) {
            ResourceRef.Parsed subnet = ResourceRef.parseNetworkId(ipc.subnetId())
                    .filter(p -> p.ref().type() == ResourceType.VIRTUAL_NETWORK && p.childPath().matches("(?i)/subnets/[^/]+"))
                    .orElseThrow(() -> badReference(ipc.subnetId(), ref));
            if (vnetRef != null && !vnetRef.key().equals(subnet.ref().key())) {
                throw ArmException.badRequest("IpConfigurationsInDifferentVnets",
                        "All ipConfigurations of gateway " + ref.name() + " must use the GatewaySubnet of the same virtual network.");
            }
            vnetRef = subnet.ref();
            String subnetName = subnet.childPath().substring("/subnets/".length());
            StoredResource vnetDoc = ResourceRepository.get(c, vnetRef).orElseThrow(() -> badReference(ipc.subnetId(), ref));
            VirtualNetwork vnet = VirtualNetworkRules.read(vnetDoc.ref().name(), vnetDoc.body());
            Subnet s = vnet.subnet(subnetName).orElseThrow(() -> badReference(ipc.subnetId(), ref));
            if (!s.isGatewaySubnet()) {
                throw ArmException.badRequest("GatewaySubnetRequired", "Subnet " + s.name() + " referenced by ipConfiguration "
                        + ipc.name() + " of gateway " + ref.name() + " is not a gateway subnet: a gateway needs the subnet named"
                        + " 'GatewaySubnet' in its virtual network (/29 or larger, /27 recommended).");
            }
            VirtualNetworkRules.checkGatewaySubnetSize(vnet.name(), s);
            GatewayRules.checkPoolAgainstVnet(gw, vnet);

            ResourceRef pip = ResourceRef.parseNetworkId(ipc.publicIpAddressId())
                    .filter(p -> p.ref().type() == ResourceType.PUBLIC_IP_ADDRESS && p.childPath().isEmpty())
                    .map(ResourceRef.Parsed::ref)
                    .orElseThrow(() -> badReference(ipc.publicIpAddressId(), ref));
            StoredResource pipDoc = ResourceRepository.get(c, pip).orElseThrow(() -> badReference(ipc.publicIpAddressId(), ref));
            if (pips.contains(pip.key())) {
                throw ArmException.badRequest("PublicIPAddressInUse", "Public IP address " + pip.id()
                        + " is used by more than one ipConfiguration of gateway " + ref.name() + ".");
            }
            pips.add(pip.key());
            Optional<String> user = GatewayTopology.publicIpUser(c, pip, Optional.of(ref));
            if (user.isPresent()) {
                throw ArmException.badRequest("PublicIPAddressInUse", "Public IP address " + pip.id()
                        + " is already in use by " + user.get() + ".");
            }
            // "The Basic gateway SKU currently accepts only a Basic-SKU public IP" (azure-p2s.md §1.2).
            String pipSku = pipDoc.body().path("sku").path("name").asText("Standard");
            if (gw.sku().isBasic() && !pipSku.equals("Basic")) {
                throw ArmException.badRequest("BasicSkuGatewayRequiresBasicSkuPublicIp", "Gateway " + ref.name()
                        + " has the Basic SKU, which accepts only a Basic-SKU public IP; " + pip.name() + " is " + pipSku + ".");
            }
        }
        // A virtual network has one VPN gateway.
        for (GatewayTopology.GatewayOnVnet other : GatewayTopology.gatewaysOn(c, vnetRef)) {
            if (!other.ref().key().equals(ref.key())) {
                throw ArmException.badRequest("VirtualNetworkAlreadyHasVpnGateway", "Virtual network " + vnetRef.name()
                        + " already has VPN gateway " + other.ref().id() + "; a virtual network can have only one.");
            }
        }
        if (existing.isPresent()) {
            VirtualNetworkGateway before = GatewayTopology.readStoredGateway(existing.get());
            // "The type cannot be changed without delete and re-create" (FAQ, azure-p2s.md §1.3).
            if (!before.vpnType().equals(gw.vpnType())) {
                throw ArmException.badRequest("VpnTypeCannotBeChanged", "The VPN type of gateway " + ref.name()
                        + " cannot be changed from " + before.vpnType() + " to " + gw.vpnType() + "; delete and re-create the gateway.");
            }
        }
    }

    /** Flips a gateway's provisioningState from Updating to Succeeded (same etag). */
    static void finishProvisioning(Connection c, ResourceRef ref) throws SQLException {
        Optional<StoredResource> g = ResourceRepository.get(c, ref);
        if (g.isPresent() && Renderer.UPDATING.equals(g.get().body().path("properties").path("provisioningState").asText())) {
            ObjectNode doc = g.get().body().deepCopy();
            doc.with("properties").put("provisioningState", Renderer.SUCCEEDED);
            ResourceRepository.update(c, ref, doc, g.get().etag(), g.get().etag());
        }
    }

    /** The certificate array of a gateway about to be written; a gateway without P2S has none yet. */
    private static ArrayNode childrenOf(ResourceRef gwRef, ObjectNode gwDoc, GatewayChild kind) {
        ObjectNode props = gwDoc.with("properties");
        if (!props.has("vpnClientConfiguration") || !props.get("vpnClientConfiguration").isObject()) {
            throw ArmException.badRequest("PointToSiteNotConfigured", "Gateway " + gwRef.name()
                    + " has no point-to-site configuration (vpnClientConfiguration); configure an address pool first.");
        }
        return ((ObjectNode) props.get("vpnClientConfiguration")).withArray(kind.property());
    }
}
