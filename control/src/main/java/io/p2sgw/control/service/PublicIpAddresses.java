package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.JsonFields;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.rules.NameRules;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Public IP addresses: SKU and allocation method as Azure checks them (azure-p2s.md §1.2). */
final class PublicIpAddresses {
    private static final List<String> SKUS = List.of("Basic", "Standard");
    private static final List<String> ALLOCATION = List.of("Static", "Dynamic");

    private PublicIpAddresses() {}

    /** Checked before the transaction, as for every name. */
    static void requireValidName(ResourceRef ref) {
        NameRules.requireValid(ref.name(), 1, NameRules.PUBLIC_IP_MAX);
    }

    static WriteResult put(Connection c, ResourceRef ref, ObjectNode body, Preconditions pre) throws SQLException {
        StoredDocuments.requireGroup(c, ref);
        Optional<StoredResource> existing = ResourceRepository.get(c, ref);
        pre.check(ref.id(), existing.map(StoredResource::etag));
        ResourceRef stored = existing.map(StoredResource::ref).orElse(ref);
        String location = StoredDocuments.location(body, existing);
        String skuText = JsonFields.object(body, "sku", "sku").flatMap(s -> JsonFields.string(s, "name", "sku.name"))
                .orElse("Standard");
        String sku = SKUS.stream().filter(s -> s.equalsIgnoreCase(skuText)).findFirst().orElseThrow(() ->
                ArmException.badRequest("InvalidPublicIPAddressSku", "Public IP SKU '" + skuText + "' is not valid. Valid values: Basic, Standard."));
        ObjectNode props = JsonFields.properties(body);
        String allocText = JsonFields.string(props, "publicIPAllocationMethod", "properties.publicIPAllocationMethod")
                .orElse(sku.equals("Standard") ? "Static" : "Dynamic");
        String alloc = ALLOCATION.stream().filter(s -> s.equalsIgnoreCase(allocText)).findFirst().orElseThrow(() ->
                ArmException.badRequest("InvalidPublicIPAllocationMethod", "publicIPAllocationMethod '" + allocText
                        + "' is not valid. Valid values: Static, Dynamic."));
        // "Standard SKU public IPs must be Static" (azure-p2s.md §1.2).
        if (sku.equals("Standard") && alloc.equals("Dynamic")) {
            throw ArmException.badRequest("StandardSkuPublicIPAddressesMustBeStatic", "Standard sku publicIp "
                    + stored.id() + " must have AllocationMethod set to Static.");
        }
        String etag = Renderer.newEtag();
        ObjectNode doc = Renderer.publicIp(stored, body, location, sku, alloc, etag, StoredDocuments.guid(existing));
        StoredDocuments.save(c, stored, existing, doc, etag);
        return new WriteResult(Renderer.withIpConfiguration(doc, GatewayTopology.publicIpUsers(c, stored.subscription())),
                existing.isEmpty());
    }
}
