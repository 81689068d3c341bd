package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;

/** One traffic selector (RFC 7296 §3.13.1; ikev2.md §1.13): an address range, a protocol and a port range. */
public record TrafficSelector(int tsType, int ipProtocol, int startPort, int endPort, byte[] startAddress,
        byte[] endAddress) {
    public static final int TS_IPV4_ADDR_RANGE = 7;
    public static final int TS_IPV6_ADDR_RANGE = 8;
    static final int IPV4_LENGTH = 16;
    static final int IPV6_LENGTH = 40;
    /** TS Type(1) + IP Protocol(1) + Selector Length(2) + Start Port(2) + End Port(2). */
    static final int FIXED = 8;

    public TrafficSelector {
        startAddress = startAddress.clone();
        endAddress = endAddress.clone();
        int addressLength = addressLength(tsType);
        if (startAddress.length != addressLength || endAddress.length != addressLength || ipProtocol < 0
                || ipProtocol > 0xFF || startPort < 0 || startPort > 0xFFFF || endPort < 0 || endPort > 0xFFFF) {
            throw new IllegalArgumentException("traffic selector field out of range");
        }
    }

    /** Any IPv4 address, protocol and port: what strongSwan proposes with {@code 0.0.0.0/0} (ikev2.md §2.1). */
    public static TrafficSelector anyIpv4() {
        return new TrafficSelector(TS_IPV4_ADDR_RANGE, 0, 0, 0xFFFF, new byte[4],
                new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255});
    }

    static int addressLength(int tsType) {
        return switch (tsType) {
            case TS_IPV4_ADDR_RANGE -> 4;
            case TS_IPV6_ADDR_RANGE -> 16;
            default -> throw new IllegalArgumentException("TS type " + tsType);
        };
    }

    @Override
    public byte[] startAddress() {
        return startAddress.clone();
    }

    @Override
    public byte[] endAddress() {
        return endAddress.clone();
    }

    int encodedLength() {
        return FIXED + 2 * startAddress.length;
    }

    void encode(ByteBuffer out) {
        out.put((byte) tsType).put((byte) ipProtocol).putShort((short) encodedLength()).putShort((short) startPort)
                .putShort((short) endPort).put(startAddress).put(endAddress);
    }

    static TrafficSelector decode(byte[] b, int off, int end, int[] lengthOut) {
        Bytes.require(off, FIXED, end, "Traffic selector");
        int type = Bytes.u8(b, off);
        int length = Bytes.u16(b, off + 2);
        int expected = switch (type) {
            case TS_IPV4_ADDR_RANGE -> IPV4_LENGTH;
            case TS_IPV6_ADDR_RANGE -> IPV6_LENGTH;
            default -> throw new IkeException(NotifyType.TS_UNACCEPTABLE, "TS type " + type);
        };
        if (length != expected) {
            throw IkeException.syntax("TS type " + type + " with Selector Length " + length);
        }
        Bytes.require(off, length, end, "Traffic selector");
        int a = (length - FIXED) / 2;
        lengthOut[0] = length;
        return new TrafficSelector(type, Bytes.u8(b, off + 1), Bytes.u16(b, off + 4), Bytes.u16(b, off + 6),
                Bytes.slice(b, off + FIXED, a), Bytes.slice(b, off + FIXED + a, a));
    }
}
