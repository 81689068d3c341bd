package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/** Nonce payload (RFC 7296 §3.9): 16 to 256 bytes of random data. */
public record NoncePayload(byte[] nonce) implements Payload {
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 256;

    public NoncePayload {
        nonce = nonce.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    static NoncePayload decode(byte[] b, int off, int end) {
        int n = end - off;
        if (n < MIN_LENGTH || n > MAX_LENGTH) {
            throw IkeException.syntax("nonce of " + n + " bytes");
        }
        return new NoncePayload(Bytes.slice(b, off, n));
    }

    @Override
    public PayloadType type() {
        return PayloadType.NONCE;
    }

    @Override
    public int bodyLength() {
        return nonce.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(nonce);
    }
}
