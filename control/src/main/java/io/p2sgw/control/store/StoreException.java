package io.p2sgw.control.store;

/** The database failed (not a rule): the API answers 500 InternalServerError. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
