package io.p2sgw.control.instance;

/**
 * What a starting instance holds disagrees with what the store's instances share (the gateway CA, the instance
 * name); the message says what to do. Not a fault of the program: the server reports it and does not start.
 */
public final class SharedStateConflictException extends RuntimeException {
    public SharedStateConflictException(String message) {
        super(message);
    }
}
