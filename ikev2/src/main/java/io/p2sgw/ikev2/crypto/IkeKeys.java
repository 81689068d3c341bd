package io.p2sgw.ikev2.crypto;

import java.util.Arrays;

/**
 * The seven IKE SA keys in prf+ order (RFC 7296 §2.14): "i" keys protect initiator→responder traffic, i.e. what we
 * receive as responder. For AES-GCM each SK_e* ends with its 4-byte salt. Not for logs: {@link #toString} shows no
 * bytes. {@link #wipe} zeroes them when the SA ends (as far as the JVM allows; copies made by JCA are out of reach).
 */
public record IkeKeys(byte[] skD, byte[] skAi, byte[] skAr, byte[] skEi, byte[] skEr, byte[] skPi, byte[] skPr) {

    public void wipe() {
        for (byte[] k : new byte[][] {skD, skAi, skAr, skEi, skEr, skPi, skPr}) {
            Arrays.fill(k, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "IkeKeys[redacted]";
    }
}
