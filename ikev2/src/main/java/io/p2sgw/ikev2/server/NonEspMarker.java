package io.p2sgw.ikev2.server;

/**
 * IKE on the NAT-T port travels behind a four-byte zero non-ESP marker (RFC 3948 §2.2; ikev2.md §5.3); received
 * datagrams are told apart by {@code io.p2sgw.ikev2.esp.EspInUdp}.
 */
final class NonEspMarker {
    /** The marker's length: the width of the ESP SPI it stands in for. */
    static final int LENGTH = 4;

    private NonEspMarker() {}

    /** {@code message} behind a marker, for sending IKE from the NAT-T port. */
    static byte[] prefixed(byte[] message) {
        byte[] out = new byte[LENGTH + message.length];
        System.arraycopy(message, 0, out, LENGTH, message.length);
        return out;
    }
}
