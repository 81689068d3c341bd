package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/** Authentication payload (RFC 7296 §3.8; RFC 4754; RFC 7427 §3 for method 14; ikev2.md §1.12). */
public record AuthPayload(int method, byte[] data) implements Payload {
    public static final int RSA_SIGNATURE = 1;
    public static final int SHARED_KEY_MIC = 2;
    public static final int ECDSA_SHA256_P256 = 9;
    public static final int ECDSA_SHA384_P384 = 10;
    public static final int ECDSA_SHA512_P521 = 11;
    public static final int DIGITAL_SIGNATURE = 14;
    /** Auth Method(1) + reserved(3). */
    static final int FIXED = 4;

    public AuthPayload {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    static AuthPayload decode(byte[] b, int off, int end) {
        Bytes.require(off, FIXED + 1, end, "AUTH");
        return new AuthPayload(Bytes.u8(b, off), Bytes.slice(b, off + FIXED, end - off - FIXED));
    }

    @Override
    public PayloadType type() {
        return PayloadType.AUTH;
    }

    @Override
    public int bodyLength() {
        return FIXED + data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.putInt(method << 24).put(data);
    }
}
