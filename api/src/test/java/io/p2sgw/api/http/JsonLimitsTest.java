package io.p2sgw.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The request-body parser's limits (issue 13 "API hardening"): a body beyond them is a 400 ARM error naming the
 * limit, never a 500. Before the limits had their own error path, these bodies ended in a NullPointerException
 * (Jackson's constraint errors carry no location).
 */
class JsonLimitsTest {

    private static ArmException refused(String body) {
        return assertThrows(ArmException.class, () -> Json.parseObject(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertInvalidContent(ArmException e, String mentions) {
        assertEquals(400, e.status(), e.getMessage());
        assertEquals("InvalidRequestContent", e.code());
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
        assertFalse(e.getMessage().contains("StreamReadConstraints"), "no Jackson internals: " + e.getMessage());
    }

    @Test
    void fiveThousandNestedObjectsAre400() {
        String body = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        assertInvalidContent(refused(body), "nesting depth");
    }

    @Test
    void aHundredThousandOpeningBracketsAre400() {
        assertInvalidContent(refused("[".repeat(100_000)), "nesting depth");
    }

    @Test
    void aNumberOfAHundredThousandDigitsIs400() {
        assertInvalidContent(refused("{\"n\":" + "9".repeat(100_000) + "}"), "Number value length");
    }

    @Test
    void aLongPropertyNameIs400() {
        assertInvalidContent(refused("{\"" + "k".repeat(Json.MAX_NAME_LENGTH + 1) + "\":1}"), "Name length");
    }

    @Test
    void aBodyOverTheSizeLimitIs413() {
        String body = "{\"s\":\"" + "x".repeat(Json.MAX_BODY_BYTES) + "\"}";
        ArmException e = refused(body);
        assertEquals(413, e.status());
        assertEquals("RequestEntityTooLarge", e.code());
    }

    @Test
    void ordinaryErrorsStillSayWhere() {
        ArmException e = refused("{\"location\":");
        assertInvalidContent(e, "line 1");
    }

    @Test
    void bodiesAtTheLimitsParse() {
        String deepest = "{\"a\":".repeat(Json.MAX_NESTING - 1) + "{}" + "}".repeat(Json.MAX_NESTING - 1);
        assertEquals(1, Json.parseObject(deepest.getBytes(StandardCharsets.UTF_8)).size());
        ObjectNode n = Json.parseObject(("{\"n\":" + "7".repeat(Json.MAX_NUMBER_LENGTH) + "}").getBytes(StandardCharsets.UTF_8));
        assertTrue(n.get("n").isNumber());
        assertEquals(0, Json.parseObject(" \n".getBytes(StandardCharsets.UTF_8)).size(), "a blank body is an empty object");
    }

    /**
     * Property: for generated documents around every limit (depth, number length, name length, in arrays and
     * objects, truncated or not), the parser either returns an object or refuses with a 4xx ARM error, and it
     * accepts exactly the well-formed documents within the limits (a model computes which those are).
     */
    @Test
    void everyGeneratedBodyIsAnObjectOrAn4xxArmError() {
        Random random = new Random(13);
        for (int i = 0; i < 2000; i++) {
            int depth = random.nextInt(Json.MAX_NESTING * 2) + 1;
            int digits = random.nextInt(Json.MAX_NUMBER_LENGTH * 2) + 1;
            int nameLength = random.nextInt(Json.MAX_NAME_LENGTH * 2) + 1;
            boolean truncate = random.nextInt(4) == 0;
            StringBuilder open = new StringBuilder();
            StringBuilder close = new StringBuilder();
            for (int d = 1; d < depth; d++) {
                if (random.nextBoolean()) {
                    open.append('[');
                    close.insert(0, ']');
                } else {
                    open.append("{\"").append("k".repeat(d == 1 ? nameLength : 1)).append("\":");
                    close.insert(0, '}');
                }
            }
            String value = (random.nextBoolean() ? "-" : "") + "1".repeat(digits);
            String inner = open + value + close;
            String body = "{\"v\":" + inner + "}";
            if (truncate) {
                body = body.substring(0, 1 + random.nextInt(body.length() - 1));
            }
            boolean nameUsed = open.length() > 0 && open.charAt(0) == '{';
            boolean withinLimits = depth <= Json.MAX_NESTING && digits <= Json.MAX_NUMBER_LENGTH
                    && (!nameUsed || nameLength <= Json.MAX_NAME_LENGTH);
            String shown = body.length() > 80 ? body.substring(0, 80) + "…" : body;
            try {
                ObjectNode parsed = Json.parseObject(body.getBytes(StandardCharsets.UTF_8));
                assertFalse(truncate, "a truncated body parsed: " + shown);
                assertTrue(withinLimits, "accepted beyond the limits (depth " + depth + ", digits " + digits
                        + ", name " + nameLength + "): " + shown);
                assertTrue(parsed.has("v"), shown);
            } catch (ArmException e) {
                assertEquals(400, e.status(), shown + " → " + e.getMessage());
                assertEquals("InvalidRequestContent", e.code());
                assertTrue(truncate || !withinLimits, "refused within the limits: " + shown + " → " + e.getMessage());
            }
        }
    }
}
