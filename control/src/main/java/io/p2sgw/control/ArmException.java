package io.p2sgw.control;

import java.util.Objects;

/**
 * A failed request, carrying what ARM puts on the wire: the HTTP status and the CloudError
 * {@code {"error":{"code","message"}}} (azure-p2s.md §1.1). Thrown by rules, store and use cases; the
 * API maps it to a response in one place.
 */
public final class ArmException extends RuntimeException {
    private final int status;
    private final String code;

    public ArmException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ArmException badRequest(String code, String message) {
        return new ArmException(400, code, message);
    }

    public static ArmException notFound(String code, String message) {
        return new ArmException(404, code, message);
    }

    public static ArmException conflict(String code, String message) {
        return new ArmException(409, code, message);
    }

    /** ARM's answer to a GET/PUT/DELETE on a resource that does not exist. */
    public static ArmException resourceNotFound(String type, String name, String resourceGroup) {
        return notFound("ResourceNotFound", "The Resource '" + type + "/" + name + "' under resource group '"
                + resourceGroup + "' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
    }

    public static ArmException resourceGroupNotFound(String resourceGroup) {
        return notFound("ResourceGroupNotFound", "Resource group '" + resourceGroup + "' could not be found.");
    }

    /** If-Match did not match the current etag: nothing was changed. */
    public static ArmException preconditionFailed(String id) {
        return new ArmException(412, "PreconditionFailed",
                "The condition specified using HTTP conditional header(s) is not met for resource " + id
                        + ". The resource was changed since it was read; read it again and retry.");
    }
}
