package io.p2sgw.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

/** Jetty's bad-message replies as ARM error bodies (issue 13); wired into the server in api-tests' ContainerErrorsTest. */
class ArmErrorHandlerTest {

    private static JsonNode badMessage(int status, String reason, HttpFields.Mutable fields) throws Exception {
        ByteBuffer body = new ArmErrorHandler().badMessageError(status, reason, fields);
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return Json.MAPPER.readTree(bytes);
    }

    @Test
    void anOversizedHeaderBlockIs431RequestHeaderFieldsTooLarge() throws Exception {
        HttpFields.Mutable fields = HttpFields.build();
        JsonNode body = badMessage(431, "Request Header Fields Too Large", fields);
        assertEquals("RequestHeaderFieldsTooLarge", body.at("/error/code").asText());
        assertTrue(body.at("/error/message").asText().contains("headers"), body.toString());
        assertEquals("application/json; charset=utf-8", fields.get(HttpHeader.CONTENT_TYPE));
        assertEquals("gateway", fields.get("x-ms-failure-cause"));
    }

    @Test
    void aMalformedRequestIs400BadRequest() throws Exception {
        JsonNode body = badMessage(400, "Bad Request", HttpFields.build());
        assertEquals("BadRequest", body.at("/error/code").asText());
        assertFalse(body.at("/error/message").asText().isEmpty());
    }

    @Test
    void aLongOrMissingReasonIsNeitherEchoedWholeNorLost() throws Exception {
        String longReason = "x".repeat(10_000);
        String message = badMessage(400, longReason, HttpFields.build()).at("/error/message").asText();
        assertTrue(message.length() < ArmErrorHandler.MAX_REASON_CHARS + 200, message.length() + " chars");
        String noReason = badMessage(414, null, HttpFields.build()).at("/error/message").asText();
        assertTrue(noReason.contains("URI Too Long"), noReason);
    }

    @Test
    void statusesWithoutAnArmNameKeepTheirNumber() {
        assertEquals("HttpError418", CloudErrors.codeForStatus(418));
        assertEquals("RequestEntityTooLarge", CloudErrors.codeForStatus(413));
    }
}
