package io.p2sgw.cli.support;

/** A problem with the command line or local files, found before any request is sent (exit code 2). */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
