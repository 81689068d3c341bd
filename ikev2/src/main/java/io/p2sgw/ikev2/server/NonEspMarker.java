package io.p2sgw.ikev2.server;

/**
 * What arrives on the NAT-T port (RFC 3948 §2.2, §2.3; ikev2.md §5.3): IKE behind a four-byte zero non-ESP marker,
 * a one-byte 0xFF NAT keepalive, or ESP, whose SPI (never zero, RFC 4303 §2.1) is where the marker would be.
 */
final class NonEspMarker {
    /** The marker's length: the width of the ESP SPI it stands in for. */
    static final int LENGTH = 4;
    /** A NAT keepalive is one 0xFF byte (RFC 3948 §2.3). */
    static final int KEEPALIVE = 0xFF;
    /** ESP header (SPI, sequence number) plus at least the 8 bytes of any IV or ICV (RFC 4303 §2). */
    static final int MIN_ESP = 16;

    enum Kind { IKE, ESP, KEEPALIVE, INVALID }

    private NonEspMarker() {}

    static Kind classify(byte[] b, int off, int len) {
        if (len == 1 && (b[off] & 0xFF) == KEEPALIVE) {
            return Kind.KEEPALIVE;
        }
        if (len < LENGTH) {
            return Kind.INVALID;
        }
        if (b[off] == 0 && b[off + 1] == 0 && b[off + 2] == 0 && b[off + 3] == 0) {
            return Kind.IKE;
        }
        return len >= MIN_ESP ? Kind.ESP : Kind.INVALID;
    }

    /** {@code message} behind a marker, for sending IKE from the NAT-T port. */
    static byte[] prefixed(byte[] message) {
        byte[] out = new byte[LENGTH + message.length];
        System.arraycopy(message, 0, out, LENGTH, message.length);
        return out;
    }
}
