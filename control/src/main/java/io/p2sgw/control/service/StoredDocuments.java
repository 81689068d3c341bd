package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.JsonFields;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.store.ResourceRepository;
import io.p2sgw.control.store.StoredResource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What every resource kind does with its stored ARM document: find it or its group, keep location and GUID, save. */
final class StoredDocuments {
    private StoredDocuments() {}

    /** The body's location, else the stored one; ARM requires it on create. */
    static String location(ObjectNode body, Optional<StoredResource> existing) {
        Optional<String> loc = JsonFields.string(body, "location", "location").filter(s -> !s.isBlank());
        if (loc.isEmpty()) {
            if (existing.isPresent()) {
                return existing.get().body().path("location").asText();
            }
            throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.");
        }
        return loc.get();
    }

    /** The stored resourceGuid, or a new one on create. */
    static String guid(Optional<StoredResource> existing) {
        return existing.map(e -> e.body().path("properties").path("resourceGuid").asText(null))
                .filter(g -> g != null && !g.isEmpty())
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    static void requireGroup(Connection c, ResourceRef ref) throws SQLException {
        if (ResourceRepository.get(c, ref.group()).isEmpty()) {
            throw ArmException.resourceGroupNotFound(ref.resourceGroup());
        }
    }

    static StoredResource require(Connection c, ResourceRef ref) throws SQLException {
        requireGroup(c, ref);
        return ResourceRepository.get(c, ref).orElseThrow(
                () -> ArmException.resourceNotFound(ref.type().armType(), ref.name(), ref.resourceGroup()));
    }

    /** Inserts, or updates if the etag is still the one read (else 412, someone wrote in between). */
    static void save(Connection c, ResourceRef ref, Optional<StoredResource> existing, ObjectNode doc, String etag)
            throws SQLException {
        if (existing.isEmpty()) {
            ResourceRepository.insert(c, ref, doc, etag);
        } else if (!ResourceRepository.update(c, ref, doc, existing.get().etag(), etag)) {
            throw ArmException.preconditionFailed(ref.id());
        }
    }

    static List<ObjectNode> bodies(List<StoredResource> rs) {
        return rs.stream().map(StoredResource::body).toList();
    }
}
