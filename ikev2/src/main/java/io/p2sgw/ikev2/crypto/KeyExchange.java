package io.p2sgw.ikev2.crypto;

/**
 * One side of a Diffie-Hellman exchange in one group: our public value in the group's IKE encoding (ikev2.md §1.4)
 * and the shared secret g^ir with a peer's. Confined to one thread; used once.
 */
public interface KeyExchange {
    DhGroup group();

    /** The KE payload's Key Exchange Data: MODP left-padded to the prime, ECP x‖y, X25519 32 bytes little-endian. */
    byte[] publicValue();

    /**
     * g^ir in the group's IKE encoding (MODP padded to the prime, ECP the x coordinate, X25519 32 bytes). A peer
     * value of the wrong length or not in the group fails with INVALID_SYNTAX (RFC 7296 §3.4, RFC 6989).
     */
    byte[] sharedSecret(byte[] peerPublicValue);
}
