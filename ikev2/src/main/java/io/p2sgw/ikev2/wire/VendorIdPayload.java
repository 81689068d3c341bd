package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/** Vendor ID payload (RFC 7296 §3.12): opaque; Windows sends several, we ignore them and send none (ikev2.md §1.8). */
public record VendorIdPayload(byte[] vendorId) implements Payload {
    public VendorIdPayload {
        vendorId = vendorId.clone();
    }

    @Override
    public byte[] vendorId() {
        return vendorId.clone();
    }

    static VendorIdPayload decode(byte[] b, int off, int end) {
        return new VendorIdPayload(Bytes.slice(b, off, end - off));
    }

    @Override
    public PayloadType type() {
        return PayloadType.VENDOR_ID;
    }

    @Override
    public int bodyLength() {
        return vendorId.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(vendorId);
    }
}
