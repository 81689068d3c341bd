package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Configuration payload (RFC 7296 §3.15): a CFG type and attributes. */
public record ConfigPayload(int cfgType, List<ConfigAttribute> attributes) implements Payload {
    public static final int CFG_REQUEST = 1;
    public static final int CFG_REPLY = 2;
    public static final int CFG_SET = 3;
    public static final int CFG_ACK = 4;
    /** CFG Type(1) + reserved(3). */
    static final int FIXED = 4;
    /** strongSwan asks for 2, Windows for about 6; a reply carries an address, DNS servers and a few subnets. */
    public static final int MAX_ATTRIBUTES = 128;

    public ConfigPayload {
        attributes = List.copyOf(attributes);
    }

    public List<ConfigAttribute> attributesOf(int type) {
        return attributes.stream().filter(a -> a.type() == type).toList();
    }

    static ConfigPayload decode(byte[] b, int off, int end) {
        Bytes.require(off, FIXED, end, "CP");
        List<ConfigAttribute> attributes = new ArrayList<>();
        int pos = off + FIXED;
        while (pos < end) {
            if (attributes.size() == MAX_ATTRIBUTES) {
                throw IkeException.syntax("more than " + MAX_ATTRIBUTES + " configuration attributes");
            }
            Bytes.require(pos, ConfigAttribute.FIXED, end, "CP attribute");
            int length = Bytes.u16(b, pos + 2);
            Bytes.require(pos + ConfigAttribute.FIXED, length, end, "CP attribute value");
            attributes.add(new ConfigAttribute(Bytes.u16(b, pos) & 0x7FFF,
                    Bytes.slice(b, pos + ConfigAttribute.FIXED, length)));
            pos += ConfigAttribute.FIXED + length;
        }
        return new ConfigPayload(Bytes.u8(b, off), attributes);
    }

    @Override
    public PayloadType type() {
        return PayloadType.CP;
    }

    @Override
    public int bodyLength() {
        int n = FIXED;
        for (ConfigAttribute a : attributes) {
            n += ConfigAttribute.FIXED + a.value().length;
        }
        return n;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.putInt(cfgType << 24);
        for (ConfigAttribute a : attributes) {
            byte[] v = a.value();
            out.putShort((short) a.type()).putShort((short) v.length).put(v);
        }
    }
}
