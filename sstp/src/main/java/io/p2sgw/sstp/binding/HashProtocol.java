package io.p2sgw.sstp.binding;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The crypto binding hash protocols ([MS-SSTP] 2.2.6/2.2.7): the bit the server offers in CALL_CONNECT_ACK, the value
 * the client names in CALL_CONNECTED, and the digest and HMAC behind the cert hash, the CMK and the Compound MAC.
 */
public enum HashProtocol {
    SHA1(0x01, "SHA-1", "HmacSHA1", 20),
    SHA256(0x02, "SHA-256", "HmacSHA256", 32);

    private final int code;
    private final String digest;
    private final String hmac;
    private final int length;

    HashProtocol(int code, String digest, String hmac, int length) {
        this.code = code;
        this.digest = digest;
        this.hmac = hmac;
        this.length = length;
    }

    /** CERT_HASH_PROTOCOL_SHA1 0x01 / SHA256 0x02: both the bitmask bit and the CALL_CONNECTED value. */
    public int code() {
        return code;
    }

    /** Output length of the digest and the HMAC (20 or 32); the wire fields are 32 bytes, zero-padded. */
    public int length() {
        return length;
    }

    /** The protocol with this CALL_CONNECTED value, if [MS-SSTP] 2.2.7 defines it. */
    public static Optional<HashProtocol> ofCode(int code) {
        for (HashProtocol h : values()) {
            if (h.code == code) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    public byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(digest).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " is part of every JDK", e);
        }
    }

    public byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, hmac));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is part of every JDK", e);
        }
    }
}
