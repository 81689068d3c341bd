package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.Subnet;
import io.p2sgw.control.model.VirtualNetwork;
import io.p2sgw.control.rules.GatewayRules;
import io.p2sgw.control.rules.NameRules;
import io.p2sgw.control.rules.VirtualNetworkRules;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Virtual networks and their subnets (a child collection: a subnet write is a VNet write). */
final class VirtualNetworks {
    static final ChildCollection SUBNETS = new ChildCollection("subnets",
            doc -> ChildCollection.arrayAt(doc, "properties", "subnets"),
            (ref, doc) -> doc.with("properties").withArray("subnets"),
            (c, ref, doc) -> put(c, ref, doc, Preconditions.NONE));

    private VirtualNetworks() {}

    static WriteResult put(Connection c, ResourceRef ref, ObjectNode body, Preconditions pre) throws SQLException {
        NameRules.requireValid(ref.name(), NameRules.VNET_MIN, NameRules.VNET_MAX);
        StoredDocuments.requireGroup(c, ref);
        Optional<StoredResource> existing = ResourceRepository.get(c, ref);
        pre.check(ref.id(), existing.map(StoredResource::etag));
        ResourceRef stored = existing.map(StoredResource::ref).orElse(ref);
        String location = StoredDocuments.location(body, existing);
        VirtualNetwork vnet = VirtualNetworkRules.read(stored.name(), body);
        // A gateway in this VNet keeps its GatewaySubnet, and its pool still must not overlap.
        for (GatewayTopology.GatewayOnVnet g : GatewayTopology.gatewaysOn(c, stored)) {
            Optional<Subnet> gs = vnet.subnet(Subnet.GATEWAY_SUBNET);
            if (gs.isEmpty()) {
                throw GatewayTopology.subnetInUse(g, Subnet.GATEWAY_SUBNET);
            }
            GatewayRules.checkPoolAgainstVnet(g.gateway(), vnet);
        }
        String etag = Renderer.newEtag();
        ObjectNode doc = Renderer.virtualNetwork(stored, body, vnet, location, etag, StoredDocuments.guid(existing));
        StoredDocuments.save(c, stored, existing, doc, etag);
        return new WriteResult(doc, existing.isEmpty());
    }

    /** Checked before the transaction, as for every name. */
    static void requireValidSubnetName(String subnetName) {
        NameRules.requireValid(subnetName, 1, NameRules.SUBNET_MAX);
    }

    static ObjectNode getSubnet(ResourceRef vnetRef, ObjectNode vnetDoc, String subnetName) {
        return SUBNETS.require(vnetRef, vnetDoc, subnetName);
    }

    static List<ObjectNode> listSubnets(ObjectNode vnetDoc) {
        return SUBNETS.list(vnetDoc);
    }
}
