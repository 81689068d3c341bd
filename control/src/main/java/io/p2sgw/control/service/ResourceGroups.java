package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.JsonFields;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.rules.NameRules;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Resource groups: {@code /subscriptions/{sub}/resourceGroups/{rg}}. Deleting one deletes what is in it. */
final class ResourceGroups {
    private ResourceGroups() {}

    /** Checked before the transaction: a bad name never reaches the store. */
    static void requireValidNames(String subscription, String group) {
        NameRules.requireValidSubscription(subscription);
        NameRules.requireValidResourceGroup(group);
    }

    static WriteResult put(Connection c, String subscription, String group, ObjectNode body) throws SQLException {
        ResourceRef ref = ResourceRef.resourceGroup(subscription, group);
        ResourceRepository.ensureSubscription(c, subscription);
        Optional<StoredResource> existing = ResourceRepository.get(c, ref);
        ResourceRef stored = existing.map(StoredResource::ref).orElse(ref);
        String location = StoredDocuments.location(body, existing);
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("id", stored.id());
        doc.put("name", stored.name());
        doc.put("type", ResourceType.RESOURCE_GROUP.armType());
        doc.put("location", location);
        doc.set("tags", JsonFields.tags(body));
        doc.putObject("properties").put("provisioningState", Renderer.SUCCEEDED);
        StoredDocuments.save(c, stored, existing, doc, Renderer.newEtag());
        return new WriteResult(doc, existing.isEmpty());
    }

    static ObjectNode get(Connection c, String subscription, String group) throws SQLException {
        return ResourceRepository.get(c, ResourceRef.resourceGroup(subscription, group))
                .orElseThrow(() -> ArmException.resourceGroupNotFound(group)).body();
    }

    static List<ObjectNode> list(Connection c, String subscription) throws SQLException {
        return StoredDocuments.bodies(ResourceRepository.list(c, subscription, Optional.empty(), ResourceType.RESOURCE_GROUP));
    }

    /**
     * Deletes a group and everything in it (ARM semantics), unless an operation in progress holds a gateway in the
     * group (stored, or claimed by its creation) or on one of the group's virtual networks. False when it did not exist.
     */
    static boolean delete(Connection c, String subscription, String group, OperationsInProgress running,
                          boolean postgresql) throws SQLException {
        ResourceRef ref = ResourceRef.resourceGroup(subscription, group);
        if (ResourceRepository.get(c, ref).isEmpty()) {
            return false;
        }
        List<String> gatewaysOnItsNetworks = new ArrayList<>();
        for (StoredResource vnet : ResourceRepository.list(c, subscription, Optional.of(group), ResourceType.VIRTUAL_NETWORK)) {
            for (GatewayTopology.GatewayOnVnet g : GatewayTopology.gatewaysOn(c, vnet.ref())) {
                gatewaysOnItsNetworks.add(g.ref().key());
            }
        }
        running.refuseIfHeld(c, postgresql, gatewaysOnItsNetworks, List.of(ref.key()));
        for (ResourceType t : List.of(ResourceType.VIRTUAL_NETWORK_GATEWAY, ResourceType.PUBLIC_IP_ADDRESS,
                ResourceType.VIRTUAL_NETWORK)) {
            for (StoredResource r : ResourceRepository.list(c, subscription, Optional.of(group), t)) {
                ResourceRepository.delete(c, r.ref());
            }
        }
        return ResourceRepository.delete(c, ref);
    }
}
