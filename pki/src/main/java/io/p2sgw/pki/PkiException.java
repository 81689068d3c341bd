package io.p2sgw.pki;

/**
 * A certificate, key or key-store problem the user can act on (corrupt file, wrong password, key that
 * does not match, unusable CA). Unchecked: callers map it to their own error (an ARM error code in the
 * API, an exit code in the CLI). Messages never contain key material.
 */
public class PkiException extends RuntimeException {
    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
