package io.p2sgw.ikev2.crypto;

import java.util.Arrays;

/**
 * CHILD SA (ESP) keys in prf+ order (RFC 7296 §2.17; ikev2.md §3.3): encr_i ‖ integ_i ‖ encr_r ‖ integ_r, where "i"
 * is the client→gateway direction, our inbound. GCM keys end with their 4-byte salt; integ keys are empty then.
 */
public record ChildKeys(byte[] encryptionInitiator, byte[] integrityInitiator, byte[] encryptionResponder,
        byte[] integrityResponder) {

    public void wipe() {
        for (byte[] k : new byte[][] {encryptionInitiator, integrityInitiator, encryptionResponder,
                integrityResponder}) {
            Arrays.fill(k, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "ChildKeys[redacted]";
    }
}
