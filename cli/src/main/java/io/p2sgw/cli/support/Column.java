package io.p2sgw.cli.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One column of {@code -o table}: a header and a JSON pointer into the resource. Array values are joined
 * with ", " (az prints lists of prefixes the same way).
 */
public record Column(String header, String pointer) {
    public static Column of(String header, String pointer) {
        return new Column(header, pointer);
    }

    String valueOf(JsonNode row) {
        JsonNode v = row.at(pointer);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(e.isValueNode() ? e.asText() : e.path("name").asText(e.toString())));
            return String.join(", ", parts);
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
