package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Notify payload (RFC 7296 §3.10). {@code protocolId} is 0 for IKE-SA-level notifies (1 is tolerated on input) and
 * 3 for ESP-scoped ones such as REKEY_SA, which carry a 4-byte SPI. {@code type} is the raw 16-bit value so unknown
 * (vendor) types pass through; {@link #known()} maps it.
 */
public record NotifyPayload(int protocolId, byte[] spi, int notifyType, byte[] data) implements Payload {
    /** Protocol ID(1) + SPI Size(1) + Notify Message Type(2). */
    static final int FIXED = 4;
    /** SPI sizes that mean something: none, ESP/AH (4), IKE (8). */
    public static final int MAX_SPI_SIZE = 8;

    public NotifyPayload {
        spi = spi.clone();
        data = data.clone();
        if (spi.length > 0xFF || notifyType < 0 || notifyType > 0xFFFF) {
            throw new IllegalArgumentException("notify field out of range");
        }
    }

    /** An IKE-SA-level notify: protocol 0, no SPI. */
    public static NotifyPayload of(NotifyType type, byte[] data) {
        return new NotifyPayload(0, new byte[0], type.code(), data);
    }

    public static NotifyPayload of(NotifyType type) {
        return of(type, new byte[0]);
    }

    public Optional<NotifyType> known() {
        return NotifyType.of(notifyType);
    }

    public boolean is(NotifyType type) {
        return notifyType == type.code();
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    static NotifyPayload decode(byte[] b, int off, int end) {
        Bytes.require(off, FIXED, end, "Notify");
        int spiSize = Bytes.u8(b, off + 1);
        if (spiSize > MAX_SPI_SIZE) {
            throw IkeException.syntax("Notify SPI size " + spiSize);
        }
        Bytes.require(off + FIXED, spiSize, end, "Notify SPI");
        int dataStart = off + FIXED + spiSize;
        return new NotifyPayload(Bytes.u8(b, off), Bytes.slice(b, off + FIXED, spiSize), Bytes.u16(b, off + 2),
                Bytes.slice(b, dataStart, end - dataStart));
    }

    @Override
    public PayloadType type() {
        return PayloadType.NOTIFY;
    }

    @Override
    public int bodyLength() {
        return FIXED + spi.length + data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put((byte) protocolId).put((byte) spi.length).putShort((short) notifyType).put(spi).put(data);
    }

    @Override
    public String toString() {
        return "N(" + known().map(Enum::name).orElse(Integer.toString(notifyType)) + ", " + data.length + " bytes)";
    }
}
