package io.p2sgw.tls.eap;

import java.util.Arrays;

/**
 * The type data of an EAP-TLS Request or Response (RFC 5216 §3.1, §3.2): Flags(1), the TLS Message Length(4) when
 * the L flag is set, then TLS data. Flags: L = 0x80 (length included), M = 0x40 (more fragments), S = 0x20 (start);
 * the other bits are reserved, sent as zero and ignored on receipt (RFC 5216 §3.1).
 *
 * @param flags the flags byte as received or to send
 * @param messageLength the TLS Message Length when {@link #L} is set, otherwise {@link #NO_LENGTH}
 * @param data the TLS data of this fragment
 */
public record EapTlsFragment(int flags, long messageLength, byte[] data) {
    public static final int L = 0x80;
    public static final int M = 0x40;
    public static final int S = 0x20;
    public static final long NO_LENGTH = -1;
    /** Flags byte. */
    public static final int FLAGS_LENGTH = 1;
    /** The TLS Message Length field. */
    public static final int LENGTH_FIELD = 4;
    /**
     * The largest reassembled TLS message accepted or announced (pppd's own limit, sstp.md §4.3): a server flight
     * with a long chain fits, and a peer cannot make us buffer more per session.
     */
    public static final int MAX_TLS_MESSAGE_LENGTH = 65536;

    public EapTlsFragment {
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("flags " + flags);
        }
        if (((flags & L) != 0) != (messageLength != NO_LENGTH)
                || messageLength != NO_LENGTH && (messageLength < 0 || messageLength > 0xFFFFFFFFL)) {
            throw new IllegalArgumentException("L flag and TLS Message Length " + messageLength + " disagree");
        }
        data = data.clone();
    }

    /** An empty fragment with no flags: the acknowledgement both ways (RFC 5216 §2.1.5), and the final response. */
    public static EapTlsFragment ack() {
        return new EapTlsFragment(0, NO_LENGTH, new byte[0]);
    }

    /** The EAP-TLS Start request's type data (RFC 5216 §2.1.1): S set, no data. */
    public static EapTlsFragment start() {
        return new EapTlsFragment(S, NO_LENGTH, new byte[0]);
    }

    public boolean lengthIncluded() {
        return (flags & L) != 0;
    }

    public boolean more() {
        return (flags & M) != 0;
    }

    public boolean startFlag() {
        return (flags & S) != 0;
    }

    /** An empty fragment without M: an acknowledgement or the peer's final (empty) response. */
    public boolean isAck() {
        return !more() && data.length == 0;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    int dataLength() {
        return data.length;
    }

    /** Parses the EAP-TLS type data of a Request or Response; every length is checked before it is read. */
    public static EapTlsFragment parse(byte[] typeData) throws EapException {
        if (typeData.length < FLAGS_LENGTH) {
            throw EapException.malformed("EAP-TLS type data without its Flags byte");
        }
        int flags = typeData[0] & 0xFF;
        int dataStart = FLAGS_LENGTH;
        long messageLength = NO_LENGTH;
        if ((flags & L) != 0) {
            if (typeData.length < FLAGS_LENGTH + LENGTH_FIELD) {
                throw EapException.malformed("EAP-TLS L flag without the 4-byte TLS Message Length");
            }
            messageLength = (typeData[1] & 0xFFL) << 24 | (typeData[2] & 0xFFL) << 16 | (typeData[3] & 0xFFL) << 8
                    | (typeData[4] & 0xFFL);
            dataStart += LENGTH_FIELD;
        }
        return new EapTlsFragment(flags, messageLength, Arrays.copyOfRange(typeData, dataStart, typeData.length));
    }

    /** The type data bytes (flags, optional length, data). */
    public byte[] encode() {
        int head = FLAGS_LENGTH + (lengthIncluded() ? LENGTH_FIELD : 0);
        byte[] out = new byte[head + data.length];
        out[0] = (byte) flags;
        if (lengthIncluded()) {
            out[1] = (byte) (messageLength >>> 24);
            out[2] = (byte) (messageLength >>> 16);
            out[3] = (byte) (messageLength >>> 8);
            out[4] = (byte) messageLength;
        }
        System.arraycopy(data, 0, out, head, data.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EapTlsFragment f && f.flags == flags && f.messageLength == messageLength
                && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return (flags * 31 + Long.hashCode(messageLength)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "EapTlsFragment[flags=0x" + Integer.toHexString(flags)
                + (lengthIncluded() ? ", length=" + messageLength : "") + ", " + data.length + " data bytes]";
    }
}
