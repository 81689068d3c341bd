package io.p2sgw.ikev2.crypto;

/**
 * An SK or SKF payload whose ICV or AEAD tag does not verify, or whose decrypted padding is impossible. No notify
 * answers it: such a message is dropped silently (RFC 7296 §2.21.1, ikev2.md §2.3 step 1), and only counted.
 */
public final class IntegrityException extends RuntimeException {
    public IntegrityException(String message) {
        super(message);
    }
}
