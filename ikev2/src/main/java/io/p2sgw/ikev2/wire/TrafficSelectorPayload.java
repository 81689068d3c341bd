package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** TSi / TSr (RFC 7296 §3.13): one or more traffic selectors. */
public record TrafficSelectorPayload(boolean responder, List<TrafficSelector> selectors) implements Payload {
    /** Number of TSs(1) + reserved(3). */
    static final int FIXED = 4;
    /** Clients send one or two; a VNet with many prefixes might need a few dozen in TSr. */
    public static final int MAX_SELECTORS = 64;

    public TrafficSelectorPayload {
        selectors = List.copyOf(selectors);
        if (selectors.isEmpty() || selectors.size() > MAX_SELECTORS) {
            throw new IllegalArgumentException(selectors.size() + " traffic selectors");
        }
    }

    static TrafficSelectorPayload decode(boolean responder, byte[] b, int off, int end) {
        Bytes.require(off, FIXED, end, "TS");
        int count = Bytes.u8(b, off);
        if (count == 0 || count > MAX_SELECTORS) {
            throw IkeException.syntax("TS payload with " + count + " selectors");
        }
        List<TrafficSelector> selectors = new ArrayList<>(count);
        int pos = off + FIXED;
        int[] len = new int[1];
        for (int i = 0; i < count; i++) {
            selectors.add(TrafficSelector.decode(b, pos, end, len));
            pos += len[0];
        }
        if (pos != end) {
            throw IkeException.syntax("TS payload has " + (end - pos) + " bytes after its selectors");
        }
        return new TrafficSelectorPayload(responder, selectors);
    }

    @Override
    public PayloadType type() {
        return responder ? PayloadType.TSR : PayloadType.TSI;
    }

    @Override
    public int bodyLength() {
        int n = FIXED;
        for (TrafficSelector s : selectors) {
            n += s.encodedLength();
        }
        return n;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put((byte) selectors.size()).put((byte) 0).putShort((short) 0);
        for (TrafficSelector s : selectors) {
            s.encode(out);
        }
    }
}
