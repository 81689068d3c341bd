package io.p2sgw.api.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.p2sgw.control.ArmException;

/**
 * Writes ARM's CloudError body {@code {"error":{"code","message"}}} (azure-p2s.md §1.1) — the one shape
 * every failed request gets, whatever layer refused it.
 */
public final class CloudErrors {
    private CloudErrors() {}

    public static ObjectNode body(String code, String message) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("error").put("code", code).put("message", message);
        return root;
    }

    public static void write(Context ctx, ArmException e) {
        write(ctx, e.status(), e.code(), e.getMessage());
    }

    public static void write(Context ctx, int status, String code, String message) {
        ctx.status(status);
        ctx.header(FAILURE_CAUSE_HEADER, failureCause(status));
        Json.write(ctx, body(code, message));
    }

    /** ARM says whether the service or the gateway (the request) caused a failure. */
    static final String FAILURE_CAUSE_HEADER = "x-ms-failure-cause";

    static String failureCause(int status) {
        return status >= 500 ? "service" : "gateway";
    }

    /** The ARM code for an error only an HTTP status describes (refused by the HTTP layer, not by a rule). */
    public static String codeForStatus(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 408 -> "RequestTimeout";
            case 413 -> "RequestEntityTooLarge";
            case 414 -> "RequestUriTooLong";
            case 415 -> "UnsupportedMediaType";
            case 431 -> "RequestHeaderFieldsTooLarge";
            case 500 -> "InternalServerError";
            case 503 -> "ServiceUnavailable";
            default -> "HttpError" + status;
        };
    }

    // ARM's own codes for requests refused before any resource provider sees them.

    public static ArmException missingApiVersion() {
        return ArmException.badRequest("MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.");
    }

    public static ArmException authenticationMissing() {
        return new ArmException(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    }

    public static ArmException invalidToken() {
        return new ArmException(401, "InvalidAuthenticationToken",
                "The access token is invalid: it is not a token this gateway issued, or it was revoked.");
    }

    /**
     * ARM's 403 for a role without the operation, in Azure's words; p2sgw tokens have a name and no separate object
     * id, so the name stands for both.
     */
    public static ArmException forbidden(String who, String action, String scope) {
        return new ArmException(403, "AuthorizationFailed", "The client '" + who + "' with object id '" + who
                + "' does not have authorization to perform action '" + action + "' over scope '" + scope
                + "' or the scope is invalid. If access was recently granted, please refresh your credentials.");
    }

    /**
     * ARM's 409 for a write to a resource while an operation on it runs, in the words Azure's network provider uses
     * (seen in its answers, e.g. github.com/Azure/bicep/issues/5132); the URI is the running operation's
     * {@code Azure-AsyncOperation}, which the client polls before it retries.
     */
    public static ArmException anotherOperationInProgress(String operationUri) {
        return ArmException.conflict("AnotherOperationInProgress", "Another operation on this or dependent resource is in"
                + " progress. To retrieve status of the operation use uri: " + operationUri + ".");
    }

    public static ArmException invalidContent(String detail) {
        return ArmException.badRequest("InvalidRequestContent",
                "The request content was invalid and could not be deserialized: " + detail);
    }
}
