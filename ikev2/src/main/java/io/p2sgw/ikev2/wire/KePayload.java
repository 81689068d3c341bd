package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/** Key Exchange payload (RFC 7296 §3.4): the DH group and the public value in the group's fixed encoding. */
public record KePayload(int group, byte[] keyData) implements Payload {
    /** Group Num(2) + reserved(2). */
    static final int FIXED = 4;
    /** The largest public value of a group anyone offers: MODP-8192 (RFC 3526 §7), 1024 bytes. */
    public static final int MAX_KEY_DATA = 1024;

    public KePayload {
        keyData = keyData.clone();
    }

    @Override
    public byte[] keyData() {
        return keyData.clone();
    }

    static KePayload decode(byte[] b, int off, int end) {
        Bytes.require(off, FIXED + 1, end, "KE");
        int dataLength = end - off - FIXED;
        if (dataLength > MAX_KEY_DATA) {
            throw IkeException.syntax("KE data of " + dataLength + " bytes");
        }
        return new KePayload(Bytes.u16(b, off), Bytes.slice(b, off + FIXED, dataLength));
    }

    @Override
    public PayloadType type() {
        return PayloadType.KE;
    }

    @Override
    public int bodyLength() {
        return FIXED + keyData.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.putShort((short) group).putShort((short) 0).put(keyData);
    }
}
