package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.model.Subnet;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What every network resource kind shares: GET, list, DELETE (refused while a gateway uses it) and PATCH of tags. */
final class NetworkResources {
    private NetworkResources() {}

    static ObjectNode get(Connection c, ResourceRef ref) throws SQLException {
        ObjectNode doc = StoredDocuments.require(c, ref).body();
        if (ref.type() != ResourceType.PUBLIC_IP_ADDRESS) {
            return doc;
        }
        return Renderer.withIpConfiguration(doc, GatewayTopology.publicIpUsers(c, ref.subscription()));
    }

    static List<ObjectNode> list(Connection c, String subscription, Optional<String> group, ResourceType type) throws SQLException {
        if (group.isPresent()) {
            StoredDocuments.requireGroup(c, ResourceRef.resourceGroup(subscription, group.get()));
        }
        List<ObjectNode> docs = StoredDocuments.bodies(ResourceRepository.list(c, subscription, group, type));
        if (type != ResourceType.PUBLIC_IP_ADDRESS || docs.isEmpty()) {
            return docs;
        }
        Map<String, String> users = GatewayTopology.publicIpUsers(c, subscription);
        return docs.stream().map(d -> Renderer.withIpConfiguration(d, users)).toList();
    }

    /**
     * False when it did not exist (ARM answers 204). A virtual network whose gateway an operation in progress holds is
     * refused with {@code running}'s 409 before the 400 for a gateway subnet in use: the client should wait, not
     * delete the gateway.
     */
    static boolean delete(Connection c, ResourceRef ref, Preconditions pre, OperationsInProgress running,
                          boolean postgresql) throws SQLException {
        StoredDocuments.requireGroup(c, ref);
        Optional<StoredResource> existing = ResourceRepository.get(c, ref);
        pre.check(ref.id(), existing.map(StoredResource::etag));
        if (existing.isEmpty()) {
            return false;
        }
        switch (ref.type()) {
            case VIRTUAL_NETWORK -> {
                List<GatewayTopology.GatewayOnVnet> gateways = GatewayTopology.gatewaysOn(c, ref);
                running.refuseIfHeld(c, postgresql, gateways.stream().map(g -> g.ref().key()).toList(), List.of());
                for (GatewayTopology.GatewayOnVnet g : gateways) {
                    throw GatewayTopology.subnetInUse(g, Subnet.GATEWAY_SUBNET);
                }
            }
            case PUBLIC_IP_ADDRESS -> {
                Optional<String> user = GatewayTopology.publicIpUser(c, ref, Optional.empty());
                if (user.isPresent()) {
                    throw ArmException.badRequest("PublicIPAddressCannotBeDeleted", "Public IP address " + ref.id()
                            + " can not be deleted since it is still allocated to resource " + user.get()
                            + ". In order to delete the public IP, disassociate/detach the Public IP address from the resource.");
                }
            }
            default -> { }
        }
        return ResourceRepository.delete(c, ref);
    }

    /** PATCH {"tags":{...}}: replaces the tags only. */
    static ObjectNode patchTags(Connection c, ResourceRef ref, ObjectNode tags, Preconditions pre) throws SQLException {
        StoredResource existing = StoredDocuments.require(c, ref);
        pre.check(ref.id(), Optional.of(existing.etag()));
        ObjectNode doc = existing.body().deepCopy();
        String etag = Renderer.newEtag();
        doc.set("tags", tags);
        doc.put("etag", etag);
        StoredDocuments.save(c, ref, Optional.of(existing), doc, etag);
        return ref.type() == ResourceType.PUBLIC_IP_ADDRESS
                ? Renderer.withIpConfiguration(doc, GatewayTopology.publicIpUsers(c, ref.subscription())) : doc;
    }
}
