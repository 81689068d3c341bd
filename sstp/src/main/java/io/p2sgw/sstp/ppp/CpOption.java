package io.p2sgw.sstp.ppp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A configuration option (RFC 1661 §6): Type(1), Length(1, whole option), Data. */
public record CpOption(int type, byte[] data) {
    public CpOption {
        if (type < 0 || type > 0xFF || data.length > 0xFF - 2) {
            throw new IllegalArgumentException("option " + type + " with " + data.length + " bytes");
        }
        data = data.clone();
    }

    /** An option carrying a 16-bit value (MRU, Auth-Protocol). */
    public static CpOption u16(int type, int value) {
        return new CpOption(type, new byte[] {(byte) (value >>> 8), (byte) value});
    }

    /** An option carrying a 32-bit value (Magic-Number, IPv4 addresses). */
    public static CpOption u32(int type, int value) {
        return new CpOption(type, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
            (byte) value});
    }

    /** The data as an unsigned big-endian number (for 2- and 4-byte options). */
    public long value() {
        long v = 0;
        for (byte d : data) {
            v = v << 8 | (d & 0xFF);
        }
        return v;
    }

    public int length() {
        return 2 + data.length;
    }

    /** The options of a Configure-* packet; a length below 2 or past the end makes the packet malformed. */
    public static List<CpOption> parseAll(byte[] data) {
        List<CpOption> out = new ArrayList<>();
        int p = 0;
        while (p < data.length) {
            if (data.length - p < 2) {
                throw new MalformedPacketException("option header truncated at " + p);
            }
            int len = data[p + 1] & 0xFF;
            if (len < 2 || len > data.length - p) {
                throw new MalformedPacketException("option " + (data[p] & 0xFF) + " announces " + len + " bytes");
            }
            out.add(new CpOption(data[p] & 0xFF, Arrays.copyOfRange(data, p + 2, p + len)));
            p += len;
        }
        return out;
    }

    public static byte[] encodeAll(List<CpOption> options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (CpOption o : options) {
            out.write(o.type());
            out.write(o.length());
            out.writeBytes(o.data());
        }
        return out.toByteArray();
    }

    /** Same type and bytes (records compare arrays by identity). */
    public boolean sameAs(CpOption other) {
        return type == other.type && Arrays.equals(data, other.data);
    }

    /** Whether two option lists are the same, in order (RFC 1661 §5.2: an Ack must repeat the request exactly). */
    public static boolean sameList(List<CpOption> a, List<CpOption> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sameAs(b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
