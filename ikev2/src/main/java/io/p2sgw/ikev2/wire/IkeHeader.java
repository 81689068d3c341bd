package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The 28-byte IKE header (RFC 7296 §3.1; ikev2.md §1.1). {@code messageId} is the unsigned 32-bit Message ID
 * held in an int; {@code length} is the whole message's length including this header.
 */
public record IkeHeader(long initiatorSpi, long responderSpi, int nextPayload, int version, int exchangeType,
        int flags, int messageId, int length) {

    public static final int LENGTH = 28;
    /** Major version 2, minor 0 (RFC 7296 §3.1). */
    public static final int VERSION_2_0 = 0x20;
    public static final int MAJOR_VERSION = 2;
    /** The sender is the original initiator of the IKE SA. */
    public static final int FLAG_INITIATOR = 0x08;
    /** The sender can speak a higher major version; we never set it and ignore it. */
    public static final int FLAG_VERSION = 0x10;
    public static final int FLAG_RESPONSE = 0x20;
    /**
     * The largest message we accept: an IKE message travels in one UDP datagram (RFC 7296 §2; larger ones are
     * fragmented with SKF), and a reassembled message is capped at the same size.
     */
    public static final int MAX_MESSAGE_LENGTH = 65_535 - 8;

    public IkeHeader {
        if (nextPayload < 0 || nextPayload > 0xFF || version < 0 || version > 0xFF || exchangeType < 0
                || exchangeType > 0xFF || flags < 0 || flags > 0xFF || length < 0) {
            throw new IllegalArgumentException("header field out of range");
        }
    }

    public Optional<ExchangeType> exchange() {
        return ExchangeType.of(exchangeType);
    }

    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    public boolean fromInitiator() {
        return (flags & FLAG_INITIATOR) != 0;
    }

    public IkeHeader withLength(int newLength) {
        return new IkeHeader(initiatorSpi, responderSpi, nextPayload, version, exchangeType, flags, messageId,
                newLength);
    }

    public IkeHeader withNextPayload(int next) {
        return new IkeHeader(initiatorSpi, responderSpi, next, version, exchangeType, flags, messageId, length);
    }

    /**
     * Parses the header of the {@code len}-byte message at {@code off}. A major version other than 2 fails with
     * INVALID_MAJOR_VERSION (RFC 7296 §2.5); a Length field that disagrees with the datagram fails with
     * INVALID_SYNTAX.
     */
    public static IkeHeader parse(byte[] buf, int off, int len) {
        Bytes.require(off, LENGTH, off + len, "IKE header");
        int version = Bytes.u8(buf, off + 17);
        if (version >>> 4 != MAJOR_VERSION) {
            throw new IkeException(NotifyType.INVALID_MAJOR_VERSION, "version 0x" + Integer.toHexString(version));
        }
        int length = Bytes.u32(buf, off + 24);
        if (length != len) {
            throw IkeException.syntax("Length field " + Integer.toUnsignedString(length) + " but datagram " + len);
        }
        if (len > MAX_MESSAGE_LENGTH) {
            throw IkeException.syntax("message of " + len + " bytes");
        }
        return new IkeHeader(Bytes.u64(buf, off), Bytes.u64(buf, off + 8), Bytes.u8(buf, off + 16), version,
                Bytes.u8(buf, off + 18), Bytes.u8(buf, off + 19), Bytes.u32(buf, off + 20), length);
    }

    public void encode(ByteBuffer out) {
        out.putLong(initiatorSpi).putLong(responderSpi).put((byte) nextPayload).put((byte) version)
                .put((byte) exchangeType).put((byte) flags).putInt(messageId).putInt(length);
    }

    @Override
    public String toString() {
        return String.format("IkeHeader[%016x/%016x %s id=%d flags=0x%02x next=%d len=%d]", initiatorSpi,
                responderSpi, exchange().map(Enum::name).orElse(Integer.toString(exchangeType)),
                Integer.toUnsignedLong(messageId), flags, nextPayload, length);
    }
}
