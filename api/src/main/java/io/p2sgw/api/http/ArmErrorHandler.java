package io.p2sgw.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's error pages, as ARM error bodies (azure-p2s.md §1.1) instead of HTML: requests the HTTP server refuses
 * before any route sees them (a header block over the limit: 431; a path with {@code %00} or a malformed request
 * line: 400) and errors the servlet layer sends itself. Installed on the server (bad messages) and on the servlet
 * context (sent errors), so every error the API returns is {@code {"error":{"code","message"}}} (issue 13).
 */
public final class ArmErrorHandler extends ErrorHandler {
    /** Jetty's reason texts are short; a longer one is cut rather than echoed. */
    static final int MAX_REASON_CHARS = 200;

    public ArmErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
    }

    /** Called for requests the HTTP parser refused: no servlet, no Javalin, only status, reason and the reply's headers. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        fields.put(CloudErrors.FAILURE_CAUSE_HEADER, CloudErrors.failureCause(status));
        return ByteBuffer.wrap(bodyFor(status, reason));
    }

    /** Called for errors sent inside the servlet context ({@code sendError}), whatever the client accepts. */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json; charset=utf-8");
        response.setHeader(CloudErrors.FAILURE_CAUSE_HEADER, CloudErrors.failureCause(code));
        byte[] body = bodyFor(code, message);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The ARM body for a status and Jetty's reason text. */
    static byte[] bodyFor(int status, String reason) {
        String why = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        if (why.length() > MAX_REASON_CHARS) {
            why = why.substring(0, MAX_REASON_CHARS) + "…";
        }
        String message = switch (status) {
            case 431 -> "The request's headers are larger than the server accepts (" + why + ").";
            case 414 -> "The request's URI is longer than the server accepts (" + why + ").";
            case 400 -> "The HTTP request is malformed: its request line, path or headers break HTTP's rules (" + why + ").";
            default -> "The request was refused by the HTTP server (" + why + ").";
        };
        try {
            return Json.MAPPER.writeValueAsBytes(CloudErrors.body(CloudErrors.codeForStatus(status), message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
