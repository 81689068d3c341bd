package io.p2sgw.control.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed, strict reads from a request body. A field of the wrong JSON type is a 400
 * {@code InvalidRequestFormat} naming the property path; an absent or {@code null} field is empty.
 */
public final class JsonFields {
    /** Longest array we read from a request; Azure's own limits are far lower (20 roots, a few prefixes). */
    public static final int MAX_ARRAY_LENGTH = 1000;

    private JsonFields() {}

    private static Optional<JsonNode> present(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    public static ArmException typeError(String path, String expected, JsonNode got) {
        return ArmException.badRequest("InvalidRequestFormat", "Cannot parse the request. Property '" + path
                + "' must be " + expected + ", not " + got.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ".");
    }

    public static Optional<String> string(JsonNode parent, String name, String path) {
        Optional<JsonNode> n = present(parent, name);
        if (n.isPresent() && !n.get().isTextual()) {
            throw typeError(path, "a string", n.get());
        }
        return n.map(JsonNode::asText);
    }

    public static Optional<Boolean> bool(JsonNode parent, String name, String path) {
        Optional<JsonNode> n = present(parent, name);
        if (n.isPresent() && !n.get().isBoolean()) {
            throw typeError(path, "a boolean", n.get());
        }
        return n.map(JsonNode::asBoolean);
    }

    public static Optional<ObjectNode> object(JsonNode parent, String name, String path) {
        Optional<JsonNode> n = present(parent, name);
        if (n.isPresent() && !n.get().isObject()) {
            throw typeError(path, "an object", n.get());
        }
        return n.map(ObjectNode.class::cast);
    }

    private static List<JsonNode> array(JsonNode parent, String name, String path) {
        Optional<JsonNode> n = present(parent, name);
        if (n.isEmpty()) {
            return List.of();
        }
        if (!n.get().isArray()) {
            throw typeError(path, "an array", n.get());
        }
        if (n.get().size() > MAX_ARRAY_LENGTH) {
            throw ArmException.badRequest("InvalidRequestFormat",
                    "Cannot parse the request. Property '" + path + "' has more than " + MAX_ARRAY_LENGTH + " items.");
        }
        List<JsonNode> out = new ArrayList<>();
        n.get().forEach(out::add);
        return out;
    }

    public static List<String> strings(JsonNode parent, String name, String path) {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : array(parent, name, path)) {
            if (!item.isTextual()) {
                throw typeError(path + "[" + i + "]", "a string", item);
            }
            out.add(item.asText());
            i++;
        }
        return out;
    }

    public static List<ObjectNode> objects(JsonNode parent, String name, String path) {
        List<ObjectNode> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : array(parent, name, path)) {
            if (!item.isObject()) {
                throw typeError(path + "[" + i + "]", "an object", item);
            }
            out.add((ObjectNode) item);
            i++;
        }
        return out;
    }

    /** The {@code properties} object of a resource body; empty object when absent. */
    public static ObjectNode properties(ObjectNode body) {
        return object(body, "properties", "properties").orElseGet(() -> body.objectNode());
    }

    /** {@code tags}: an object of string values. */
    public static ObjectNode tags(ObjectNode body) {
        ObjectNode tags = object(body, "tags", "tags").orElseGet(body::objectNode);
        tags.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw typeError("tags." + e.getKey(), "a string", e.getValue());
            }
        });
        return tags;
    }
}
