package io.p2sgw.control.store;

/** Another live server uses the store; the message names it and says what to do ({@link ServerLock}). */
public final class StoreInUseException extends RuntimeException {
    public StoreInUseException(String message) {
        super(message);
    }
}
