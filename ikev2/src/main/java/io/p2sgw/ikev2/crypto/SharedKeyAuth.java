package io.p2sgw.ikev2.crypto;

import io.p2sgw.ikev2.wire.AuthPayload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * AUTH method 2, Shared Key Message Integrity Code (RFC 7296 §2.15): {@code prf(prf(secret, "Key Pad for IKEv2"),
 * <SignedOctets>)}. After EAP the secret is the EAP method's MSK (RFC 7296 §2.16; for EAP-TLS the 64-byte MSK of
 * RFC 5216 §2.3), used whole as the prf key: that is what strongSwan and Windows do. The octets are the same as for
 * signatures ({@link AuthSignatures#octets}).
 */
public final class SharedKeyAuth {
    /** RFC 7296 §2.15: the 17 ASCII characters, no terminator. */
    static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

    private SharedKeyAuth() {}

    /** The AUTH payload over {@code octets} with {@code secret}. */
    public static AuthPayload mic(PrfAlgorithm prf, byte[] secret, byte[] octets) {
        return new AuthPayload(AuthPayload.SHARED_KEY_MIC, prf.prf(prf.prf(secret, KEY_PAD), octets));
    }

    /** Whether {@code auth} is method 2 and its data is the expected MIC (compared in constant time). */
    public static boolean verify(PrfAlgorithm prf, byte[] secret, byte[] octets, AuthPayload auth) {
        if (auth.method() != AuthPayload.SHARED_KEY_MIC) {
            return false;
        }
        return MessageDigest.isEqual(mic(prf, secret, octets).data(), auth.data());
    }
}
