package io.p2sgw.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/** JSON in and out of HTTP bodies, with limits on what a request may make the parser do. */
public final class Json {
    /** Twenty 4 KiB root certificates plus the rest of a gateway fit many times over. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final int MAX_NESTING = 32;
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING).maxStringLength(MAX_BODY_BYTES).build());
    }

    private Json() {}

    /** The request body as a JSON object; an empty body is an empty object (ARM actions accept that). */
    public static ObjectNode objectBody(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > MAX_BODY_BYTES) {
            throw new io.p2sgw.control.ArmException(413, "RequestEntityTooLarge",
                    "The request body is " + bytes.length + " bytes; at most " + MAX_BODY_BYTES + " are accepted.");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw CloudErrors.invalidContent(e.getOriginalMessage() + " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException e) {
            throw CloudErrors.invalidContent(e.getMessage());
        }
        if (!(node instanceof ObjectNode obj)) {
            throw CloudErrors.invalidContent("the body must be a JSON object, not " + node.getNodeType().name().toLowerCase());
        }
        return obj;
    }

    public static void write(Context ctx, JsonNode node) {
        try {
            ctx.contentType("application/json; charset=utf-8");
            ctx.result(MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
