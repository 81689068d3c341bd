package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/** Certificate payload (RFC 7296 §3.6): we send and read encoding 4, a DER X.509 certificate (ikev2.md §1.10). */
public record CertPayload(int encoding, byte[] data) implements Payload {
    public static final int X509_SIGNATURE = 4;

    public CertPayload {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    static CertPayload decode(byte[] b, int off, int end) {
        Bytes.require(off, 2, end, "CERT");
        return new CertPayload(Bytes.u8(b, off), Bytes.slice(b, off + 1, end - off - 1));
    }

    @Override
    public PayloadType type() {
        return PayloadType.CERT;
    }

    @Override
    public int bodyLength() {
        return 1 + data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put((byte) encoding).put(data);
    }
}
