package io.p2sgw.ikev2.esp;

/**
 * UDP encapsulation of ESP (RFC 3948; ikev2.md §5.3): on UDP 4500 one socket carries NAT keepalives, IKE messages
 * behind a 4-byte zero non-ESP marker, and ESP packets, which start with their (non-zero) SPI. This tells them apart;
 * it reads at most the first 8 bytes and checks the length first. The ESP packet is the whole UDP payload, so it
 * goes to {@link InboundEspSa#open} as it is.
 */
public final class EspInUdp {
    /** The IKE NAT-T port that also carries ESP (RFC 3948 §2, RFC 7296 §2.23). */
    public static final int PORT = 4500;
    /** The zero "SPI" that marks IKE on port 4500 (RFC 3948 §2.2); strip it before decoding, prefix it when sending. */
    public static final int NON_ESP_MARKER_LENGTH = 4;
    /** SPIs 1 to 255 are reserved by IANA (RFC 4303 §2.1), so an ESP packet's SPI is at least this. */
    public static final int MIN_SPI = 256;
    /** SPI and sequence number: no ESP packet is shorter. */
    private static final int MIN_ESP = 8;

    private EspInUdp() {}

    /** What a UDP 4500 payload is. */
    public enum Kind {
        /** One byte 0xFF (RFC 3948 §2.3): drop it; it only shows the peer (or its NAT mapping) is alive. */
        KEEPALIVE,
        /** An IKE message after the non-ESP marker at {@link #NON_ESP_MARKER_LENGTH}. */
        IKE,
        /** An ESP packet from its first byte: look up the SA by {@link #spi}. */
        ESP,
        /** None of these (too short for what its first bytes say, or a reserved SPI): drop it. */
        INVALID
    }

    /** Classifies the UDP payload {@code b[off, off+len)} received on port 4500. */
    public static Kind classify(byte[] b, int off, int len) {
        if (len == 1 && b[off] == (byte) 0xFF) {
            return Kind.KEEPALIVE;
        }
        if (len < MIN_ESP) {
            // Neither an ESP header nor a marker followed by anything useful (an IKE header alone is 28 bytes).
            return Kind.INVALID;
        }
        int spi = InboundEspSa.u32(b, off);
        if (spi == 0) {
            return Kind.IKE;
        }
        return Integer.compareUnsigned(spi, MIN_SPI) >= 0 ? Kind.ESP : Kind.INVALID;
    }

    /** The SPI of an ESP packet ({@link Kind#ESP}): its first 4 bytes, big-endian (RFC 4303 §2.1). */
    public static int spi(byte[] b, int off) {
        return InboundEspSa.u32(b, off);
    }

    /** Writes the non-ESP marker at {@code off}; the IKE message follows it. */
    public static void putNonEspMarker(byte[] b, int off) {
        for (int i = 0; i < NON_ESP_MARKER_LENGTH; i++) {
            b[off + i] = 0;
        }
    }

    /** {@code ike} behind a non-ESP marker, for sending an IKE message from the NAT-T port (RFC 3948 §2.2). */
    public static byte[] withNonEspMarker(byte[] ike) {
        byte[] out = new byte[NON_ESP_MARKER_LENGTH + ike.length];
        System.arraycopy(ike, 0, out, NON_ESP_MARKER_LENGTH, ike.length); // the marker is the zeros before it
        return out;
    }
}
