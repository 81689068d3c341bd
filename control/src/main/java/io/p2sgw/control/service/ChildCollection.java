package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.store.StoredResource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A collection stored inside its parent's document that ARM also serves at paths of its own (a VNet's
 * {@code subnets}, a gateway's {@code vpnClientRootCertificates} and {@code vpnClientRevokedCertificates}). A
 * child write is a write of the parent: the parent is read, the child put or removed in a copy, and the copy goes
 * through the parent's own PUT, so every rule of the parent checks the result. The child's etag is the parent's.
 * Names compare case-insensitively, as ARM's do; an update keeps the stored spelling.
 */
final class ChildCollection {
    /** Rewrites the parent (its PUT, without preconditions: the child's were checked). */
    @FunctionalInterface
    interface ParentWrite {
        WriteResult put(Connection c, ResourceRef parent, ObjectNode parentDoc) throws SQLException;
    }

    private final String property;
    private final Function<ObjectNode, Optional<ArrayNode>> find;
    private final BiFunction<ResourceRef, ObjectNode, ArrayNode> create;
    private final ParentWrite parentWrite;

    /**
     * @param property the path segment and array name ("subnets")
     * @param find the array in a parent document, if it has one
     * @param create the array in a parent document about to be written, made if missing (or an error saying why
     *     the parent cannot have children yet)
     */
    ChildCollection(String property, Function<ObjectNode, Optional<ArrayNode>> find,
                    BiFunction<ResourceRef, ObjectNode, ArrayNode> create, ParentWrite parentWrite) {
        this.property = property;
        this.find = find;
        this.create = create;
        this.parentWrite = parentWrite;
    }

    WriteResult put(Connection c, ResourceRef parentRef, String name, ObjectNode body, Preconditions pre) throws SQLException {
        StoredResource parent = StoredDocuments.require(c, parentRef);
        ObjectNode doc = parent.body().deepCopy();
        ArrayNode children = create.apply(parentRef, doc);
        int index = indexOf(children, name);
        pre.check(childId(parentRef, name), index < 0 ? Optional.empty() : Optional.of(parent.etag()));
        ObjectNode given = body.deepCopy();
        given.put("name", index < 0 ? name : children.get(index).path("name").asText());
        if (index < 0) {
            children.add(given);
        } else {
            children.set(index, given);
        }
        WriteResult r = parentWrite.put(c, parent.ref(), doc);
        return new WriteResult(get(r.body(), name).orElseThrow(), index < 0);
    }

    /** The child in a parent document, or 404 NotFound. */
    ObjectNode require(ResourceRef parentRef, ObjectNode parentDoc, String name) {
        return get(parentDoc, name).orElseThrow(() -> ArmException.notFound("NotFound",
                "Resource " + childId(parentRef, name) + " not found."));
    }

    List<ObjectNode> list(ObjectNode parentDoc) {
        List<ObjectNode> out = new ArrayList<>();
        find.apply(parentDoc).ifPresent(a -> a.forEach(n -> out.add((ObjectNode) n)));
        return out;
    }

    /** False when there was no such child (ARM answers 204). */
    boolean delete(Connection c, ResourceRef parentRef, String name, Preconditions pre) throws SQLException {
        StoredResource parent = StoredDocuments.require(c, parentRef);
        ObjectNode doc = parent.body().deepCopy();
        Optional<ArrayNode> children = find.apply(doc);
        int index = children.map(a -> indexOf(a, name)).orElse(-1);
        pre.check(childId(parentRef, name), index < 0 ? Optional.empty() : Optional.of(parent.etag()));
        if (index < 0) {
            return false;
        }
        children.get().remove(index);
        parentWrite.put(c, parent.ref(), doc);
        return true;
    }

    private Optional<ObjectNode> get(ObjectNode parentDoc, String name) {
        return find.apply(parentDoc).flatMap(a -> {
            int i = indexOf(a, name);
            return i < 0 ? Optional.empty() : Optional.of((ObjectNode) a.get(i));
        });
    }

    private String childId(ResourceRef parentRef, String name) {
        return parentRef.id() + "/" + property + "/" + name;
    }

    private static int indexOf(ArrayNode children, String name) {
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).path("name").asText().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The array at {@code parentDoc.properties[.object].property}, if present. */
    static Optional<ArrayNode> arrayAt(ObjectNode parentDoc, String... path) {
        JsonNode n = parentDoc;
        for (String p : path) {
            n = n.path(p);
        }
        return n instanceof ArrayNode a ? Optional.of(a) : Optional.empty();
    }
}
