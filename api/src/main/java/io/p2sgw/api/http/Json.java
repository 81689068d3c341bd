package io.p2sgw.api.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.p2sgw.control.ArmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON in and out of HTTP bodies, with limits on what a request may make the parser do (issue 13): nesting
 * depth, number, string and name lengths and the document size are Jackson {@link StreamReadConstraints}, so a
 * hostile body stops the parser early and is answered 400 {@code InvalidRequestContent} like any other bad body.
 */
public final class Json {
    /** Twenty 4 KiB root certificates plus the rest of a gateway fit many times over. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** ARM bodies are a few levels deep (gateway → properties → vpnClientConfiguration → roots → properties). */
    public static final int MAX_NESTING = 32;
    /** ARM numbers are counts, sizes and ports; 64 digits is far beyond any of them (Jackson's default is 1000). */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** A property name is an ARM field name; Jackson's default is 50,000 characters. */
    public static final int MAX_NAME_LENGTH = 256;

    static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .maxStringLength(MAX_BODY_BYTES)
            .maxDocumentLength(MAX_BODY_BYTES)
            .build();

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(LIMITS);
    }

    private Json() {}

    /** The request body as a JSON object; an empty body is an empty object (ARM actions accept that). */
    public static ObjectNode objectBody(Context ctx) {
        return parseObject(ctx.bodyAsBytes());
    }

    /**
     * Parses a request body as a JSON object; every failure, including a body beyond {@link #LIMITS}, is an
     * {@link ArmException} (413 for a body beyond {@link #MAX_BODY_BYTES}, else 400 {@code InvalidRequestContent}).
     */
    public static ObjectNode parseObject(byte[] bytes) {
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ArmException(413, "RequestEntityTooLarge",
                    "The request body is " + bytes.length + " bytes; at most " + MAX_BODY_BYTES + " are accepted.");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (StreamConstraintsException e) {
            // Raised before a location is known (getLocation() is null): say which limit, not where.
            throw CloudErrors.invalidContent("the body is beyond p2sgw's JSON limits: " + withoutJacksonHint(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw CloudErrors.invalidContent(e.getOriginalMessage() + where(e.getLocation()));
        } catch (IOException e) {
            throw CloudErrors.invalidContent(String.valueOf(e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!(node instanceof ObjectNode obj)) {
            throw CloudErrors.invalidContent("the body must be a JSON object, not " + node.getNodeType().name().toLowerCase());
        }
        return obj;
    }

    private static String where(JsonLocation at) {
        return at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** Jackson names its own configuration method in the message ("from `StreamReadConstraints...`"): not the client's business. */
    private static String withoutJacksonHint(String message) {
        String m = String.valueOf(message);
        return m.replaceAll(",\\s*from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`", "").trim();
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
