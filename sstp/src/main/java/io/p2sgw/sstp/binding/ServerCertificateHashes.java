package io.p2sgw.sstp.binding;

import java.util.Arrays;

/**
 * SHA-1 and SHA-256 of the DER of the leaf certificate this TLS session presented (sstp.md §3.4: sstpc hashes the
 * peer certificate it received; with SNI it must be the session's certificate, not the configured one), each in the
 * 32-byte wire form.
 */
public record ServerCertificateHashes(byte[] sha1Field, byte[] sha256Field) {
    public ServerCertificateHashes {
        sha1Field = sha1Field.clone();
        sha256Field = sha256Field.clone();
    }

    public static ServerCertificateHashes of(byte[] leafDer) {
        return new ServerCertificateHashes(Arrays.copyOf(HashProtocol.SHA1.digest(leafDer), 32),
                HashProtocol.SHA256.digest(leafDer));
    }

    /** The wire field (32 bytes) for {@code hash}. */
    public byte[] field(HashProtocol hash) {
        return (hash == HashProtocol.SHA1 ? sha1Field : sha256Field).clone();
    }
}
