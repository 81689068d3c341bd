package io.p2sgw.cli.arm;

/**
 * An error answer of the API, carrying ARM's own error code (the {@code CloudError} shape
 * {@code {"error":{"code","message"}}}, azure-p2s.md §1.1) and the HTTP status.
 */
public final class ArmException extends RuntimeException {
    private final int status;
    private final String code;

    public ArmException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** HTTP status of the failing answer; 0 when the request never got an answer. */
    public int status() {
        return status;
    }

    /** ARM error code, e.g. {@code InvalidRequestFormat}. */
    public String code() {
        return code;
    }

    /** The line the CLI prints: the API's code and message, like az's "(Code) Message". */
    public String describe() {
        return "(" + code + ") " + getMessage();
    }
}
