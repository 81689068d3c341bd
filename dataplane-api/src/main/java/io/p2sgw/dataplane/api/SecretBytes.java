package io.p2sgw.dataplane.api;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret bytes as a value: equal when the bytes are, immutable (the array never leaves without a copy), and never
 * in {@link #toString()}, so a snapshot that holds one can be compared whole and logged. A {@code byte[]} field
 * would make a record compare by identity and print its contents' address (issue 12: the snapshot's change check).
 */
public final class SecretBytes {
    private final byte[] bytes;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}; the caller may wipe its own array afterwards. */
    public static SecretBytes of(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("a secret has at least one byte");
        }
        return new SecretBytes(bytes.clone());
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** Constant time, as for any comparison of key material. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SecretBytes s && MessageDigest.isEqual(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes, redacted]";
    }
}
