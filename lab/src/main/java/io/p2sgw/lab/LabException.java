package io.p2sgw.lab;

/** A lab step failed; the message names the command and what it printed. */
public final class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
