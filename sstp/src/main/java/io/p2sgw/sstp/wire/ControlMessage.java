package io.p2sgw.sstp.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An SSTP control packet ([MS-SSTP] 2.2.2): header, MessageType(2), NumAttributes(2), then the attributes. Parsing
 * checks the framing only (every length before it is read, the attribute count, no trailing bytes); what each message
 * must carry is checked by the typed accessors, which throw {@link SstpException} with the status [MS-SSTP] 3.3.5.2
 * gives for that fault.
 */
public record ControlMessage(MessageType type, List<Attribute> attributes) {
    /** MessageType(2) + NumAttributes(2) after the common header. */
    static final int BODY_HEADER_LENGTH = 4;

    public ControlMessage {
        attributes = List.copyOf(attributes);
    }

    /**
     * Parses the whole control packet {@code buf[off, off+len)}, SSTP header included (as {@link PacketFramer} hands
     * it over).
     *
     * @throws SstpException with INVALID_FRAME_RECEIVED for broken framing or an unknown message type
     */
    public static ControlMessage parse(byte[] buf, int off, int len) {
        if (len < SstpHeader.MIN_CONTROL_PACKET || buf.length - off < len) {
            throw invalidFrame("control packet of " + len + " bytes");
        }
        if ((buf[off] & 0xFF) != SstpHeader.VERSION || !SstpHeader.isControl(buf, off)
                || SstpHeader.packetLength(buf, off) != len) {
            throw invalidFrame("header does not announce a " + len + "-byte control packet");
        }
        int code = u16(buf, off + 4);
        MessageType type = MessageType.ofCode(code).orElseThrow(() -> invalidFrame("message type " + code));
        int count = u16(buf, off + 6);
        int p = off + SstpHeader.MIN_CONTROL_PACKET;
        int end = off + len;
        List<Attribute> attributes = new ArrayList<>(Math.min(count, 4));
        for (int i = 0; i < count; i++) {
            if (end - p < Attribute.HEADER_LENGTH) {
                throw invalidFrame("attribute " + i + " of " + count + " is truncated");
            }
            int id = buf[p + 1] & 0xFF;
            int alen = u16(buf, p + 2) & SstpHeader.LENGTH_MASK;
            if (alen < Attribute.HEADER_LENGTH || alen > end - p) {
                throw invalidFrame("attribute " + id + " announces " + alen + " bytes, " + (end - p) + " left");
            }
            byte[] value = new byte[alen - Attribute.HEADER_LENGTH];
            System.arraycopy(buf, p + Attribute.HEADER_LENGTH, value, 0, value.length);
            attributes.add(new Attribute(id, value));
            p += alen;
        }
        if (p != end) {
            throw invalidFrame((end - p) + " bytes after the last attribute");
        }
        return new ControlMessage(type, attributes);
    }

    /** The whole packet, header included. */
    public byte[] encode() {
        int len = SstpHeader.MIN_CONTROL_PACKET;
        for (Attribute a : attributes) {
            len += a.length();
        }
        byte[] out = new byte[len];
        SstpHeader.write(out, 0, true, len);
        putU16(out, 4, type.code());
        putU16(out, 6, attributes.size());
        int p = SstpHeader.MIN_CONTROL_PACKET;
        for (Attribute a : attributes) {
            out[p] = 0;
            out[p + 1] = (byte) a.id();
            putU16(out, p + 2, a.length());
            System.arraycopy(a.value(), 0, out, p + Attribute.HEADER_LENGTH, a.value().length);
            p += a.length();
        }
        return out;
    }

    /**
     * The only attribute of a message that must carry exactly one of {@code id} ([MS-SSTP] 2.2.9 CALL_CONNECT_REQUEST,
     * 2.2.13 CALL_CONNECTED). A missing one, a duplicate or a foreign attribute is refused with the status that names
     * the fault.
     */
    public Attribute single(AttributeId id) {
        Attribute found = null;
        for (Attribute a : attributes) {
            AttributeId known = AttributeId.ofId(a.id()).orElseThrow(() -> new SstpException(AttributeId.NO_ERROR,
                    SstpStatus.UNRECOGNIZED_ATTRIBUTE, "attribute id " + a.id() + " in " + type));
            if (known != id) {
                throw new SstpException(known, SstpStatus.ATTRIB_NOT_SUPPORTED_IN_MSG, known + " in " + type);
            }
            if (found != null) {
                throw new SstpException(id, SstpStatus.DUPLICATE_ATTRIBUTE, id + " twice in " + type);
            }
            found = a;
        }
        if (found == null) {
            throw new SstpException(id, SstpStatus.REQUIRED_ATTRIBUTE_MISSING, id + " missing in " + type);
        }
        return found;
    }

    /** The first Status Info attribute, if the message has one (ABORT, DISCONNECT, NAK: [MS-SSTP] 2.2.11-2.2.15). */
    public Optional<StatusInfo> statusInfo() {
        for (Attribute a : attributes) {
            if (a.id() == AttributeId.STATUS_INFO.id()) {
                return Optional.of(StatusInfo.decode(a.value()));
            }
        }
        return Optional.empty();
    }

    static SstpException invalidFrame(String message) {
        return new SstpException(AttributeId.NO_ERROR, SstpStatus.INVALID_FRAME_RECEIVED, message);
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    static void putU16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }
}
