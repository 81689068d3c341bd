package io.p2sgw.control.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.model.ResourceRef;
import java.util.Objects;

/** One top-level resource as stored: its address, rendered ARM document, etag and creation order. */
public record StoredResource(ResourceRef ref, ObjectNode body, String etag, long createdSeq) {
    public StoredResource {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(etag, "etag");
    }
}
