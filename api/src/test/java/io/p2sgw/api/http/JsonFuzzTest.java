package io.p2sgw.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;

/**
 * Jazzer fuzz target for the API's request-body parser (issue 13 "Done when": a fuzz test covers the API's JSON
 * limits). Every request body goes through {@link Json#parseObject} with {@link Json#LIMITS}; whatever the bytes,
 * the answer is a parsed object or an ARM error (400 {@code InvalidRequestContent}, or 413 beyond the size limit),
 * never another exception, which the HTTP layer would turn into a 500. In a normal {@code mvn test} this runs as a
 * regression test over the seed corpus in {@code src/test/resources/io/p2sgw/api/http/JsonFuzzTestInputs/}
 * (deep nesting, long numbers and names, truncated and non-UTF-8 bodies); with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class JsonFuzzTest {

    @FuzzTest
    void requestBody(byte[] body) {
        ObjectNode parsed;
        try {
            parsed = Json.parseObject(body);
        } catch (ArmException e) {
            if (body.length > Json.MAX_BODY_BYTES) {
                assertEquals(413, e.status(), e.getMessage());
                assertEquals("RequestEntityTooLarge", e.code());
            } else {
                assertEquals(400, e.status(), e.getMessage());
                assertEquals("InvalidRequestContent", e.code());
            }
            assertNotNull(e.getMessage());
            return;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("the body parser threw " + e + " instead of an ARM error", e);
        }
        assertNotNull(parsed, "parseObject returned null");
    }
}
