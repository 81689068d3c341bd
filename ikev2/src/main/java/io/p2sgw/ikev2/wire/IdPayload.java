package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/**
 * IDi / IDr (RFC 7296 §3.5; ikev2.md §1.9). The three reserved bytes are kept as received because the AUTH octets
 * cover the body exactly as sent (RFC 7296 §2.15; strongSwan does the same, ikev2.md §3.4).
 */
public record IdPayload(boolean responder, int idType, int reserved, byte[] data) implements Payload {
    public static final int ID_IPV4_ADDR = 1;
    public static final int ID_FQDN = 2;
    public static final int ID_RFC822_ADDR = 3;
    public static final int ID_IPV6_ADDR = 5;
    public static final int ID_DER_ASN1_DN = 9;
    public static final int ID_DER_ASN1_GN = 10;
    public static final int ID_KEY_ID = 11;
    /** ID Type(1) + reserved(3). */
    static final int FIXED = 4;

    public IdPayload {
        data = data.clone();
        if (idType < 0 || idType > 0xFF || reserved < 0 || reserved > 0xFFFFFF) {
            throw new IllegalArgumentException("ID field out of range");
        }
    }

    public static IdPayload of(boolean responder, int idType, byte[] data) {
        return new IdPayload(responder, idType, 0, data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The body from the ID Type byte on: what prf(SK_p*, ID') covers (RFC 7296 §2.15). */
    public byte[] body() {
        ByteBuffer b = ByteBuffer.allocate(bodyLength());
        encodeBody(b);
        return b.array();
    }

    static IdPayload decode(boolean responder, byte[] b, int off, int end) {
        Bytes.require(off, FIXED + 1, end, "ID");
        return new IdPayload(responder, Bytes.u8(b, off), Bytes.u32(b, off) & 0xFFFFFF,
                Bytes.slice(b, off + FIXED, end - off - FIXED));
    }

    @Override
    public PayloadType type() {
        return responder ? PayloadType.IDR : PayloadType.IDI;
    }

    @Override
    public int bodyLength() {
        return FIXED + data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.putInt(idType << 24 | reserved).put(data);
    }
}
