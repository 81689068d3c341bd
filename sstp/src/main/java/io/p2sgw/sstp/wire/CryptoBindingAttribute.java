package io.p2sgw.sstp.wire;

import java.util.Arrays;

/**
 * The Crypto Binding attribute of CALL_CONNECTED ([MS-SSTP] 2.2.7): Reserved(3), Hash Protocol(1), Nonce(32), Cert
 * Hash(32), Compound MAC(32). SHA-1 values take the first 20 bytes of their field, the rest zero.
 */
public record CryptoBindingAttribute(int hashProtocol, byte[] nonce, byte[] certHash, byte[] compoundMac) {
    public static final int NONCE_LENGTH = 32;
    public static final int FIELD_LENGTH = 32;
    /** The attribute's value length; its wire length is 104 (0x68) with the header ([MS-SSTP] 2.2.7). */
    public static final int VALUE_LENGTH = 4 + NONCE_LENGTH + 2 * FIELD_LENGTH;
    /** CALL_CONNECTED is always 112 bytes: 8-byte control header + 104-byte attribute (sstp.md §2.5). */
    public static final int CALL_CONNECTED_LENGTH = SstpHeader.MIN_CONTROL_PACKET + Attribute.HEADER_LENGTH + VALUE_LENGTH;
    /** Where the nonce, cert hash and Compound MAC fields start in the 112-byte CALL_CONNECTED packet. */
    public static final int NONCE_OFFSET = 16;
    public static final int CERT_HASH_OFFSET = NONCE_OFFSET + NONCE_LENGTH;
    public static final int MAC_OFFSET = CERT_HASH_OFFSET + FIELD_LENGTH;

    public CryptoBindingAttribute {
        if (nonce.length != NONCE_LENGTH || certHash.length != FIELD_LENGTH || compoundMac.length != FIELD_LENGTH) {
            throw new IllegalArgumentException("crypto binding fields are 32 bytes each");
        }
        nonce = nonce.clone();
        certHash = certHash.clone();
        compoundMac = compoundMac.clone();
    }

    /**
     * The binding of a CALL_CONNECTED message ([MS-SSTP] 3.3.5.2.3): exactly one Crypto Binding attribute of 104 bytes.
     */
    public static CryptoBindingAttribute of(ControlMessage m) {
        byte[] v = m.single(AttributeId.CRYPTO_BINDING).value();
        if (v.length != VALUE_LENGTH) {
            throw new SstpException(AttributeId.CRYPTO_BINDING, SstpStatus.INVALID_ATTRIB_VALUE_LENGTH,
                    "crypto binding value of " + v.length + " bytes");
        }
        return new CryptoBindingAttribute(v[3] & 0xFF, Arrays.copyOfRange(v, 4, 36), Arrays.copyOfRange(v, 36, 68),
                Arrays.copyOfRange(v, 68, 100));
    }

    public Attribute toAttribute() {
        byte[] v = new byte[VALUE_LENGTH];
        v[3] = (byte) hashProtocol;
        System.arraycopy(nonce, 0, v, 4, NONCE_LENGTH);
        System.arraycopy(certHash, 0, v, 36, FIELD_LENGTH);
        System.arraycopy(compoundMac, 0, v, 68, FIELD_LENGTH);
        return new Attribute(AttributeId.CRYPTO_BINDING, v);
    }
}
