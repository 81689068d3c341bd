package io.p2sgw.api.auth;

/**
 * A starting server found an admin token in the store that its data directory does not hold; it does not replace
 * it unless told to ({@code --new-admin-token}). The message says what to do.
 */
public final class AdminTokenConflictException extends RuntimeException {
    public AdminTokenConflictException(String message) {
        super(message);
    }
}
