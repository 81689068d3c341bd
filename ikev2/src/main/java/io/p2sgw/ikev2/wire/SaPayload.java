package io.p2sgw.ikev2.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Security Association payload (RFC 7296 §3.3): a list of proposals. */
public record SaPayload(List<Proposal> proposals) implements Payload {
    /** Proposal numbers are one byte, so no real offer has more (strongSwan sends 2, Windows about 10). */
    public static final int MAX_PROPOSALS = 255;

    public SaPayload {
        proposals = List.copyOf(proposals);
    }

    static SaPayload decode(byte[] b, int off, int end) {
        List<Proposal> proposals = new ArrayList<>();
        int pos = off;
        int[] len = new int[1];
        boolean last = false;
        while (!last) {
            if (proposals.size() == MAX_PROPOSALS) {
                throw IkeException.syntax("more than " + MAX_PROPOSALS + " proposals");
            }
            Bytes.require(pos, 1, end, "SA");
            last = Bytes.u8(b, pos) == Proposal.LAST;
            proposals.add(Proposal.decode(b, pos, end, last, len));
            pos += len[0];
        }
        if (pos != end) {
            throw IkeException.syntax("SA has " + (end - pos) + " bytes after its last proposal");
        }
        return new SaPayload(proposals);
    }

    @Override
    public PayloadType type() {
        return PayloadType.SA;
    }

    @Override
    public int bodyLength() {
        int n = 0;
        for (Proposal p : proposals) {
            n += p.encodedLength();
        }
        return n;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        for (int i = 0; i < proposals.size(); i++) {
            proposals.get(i).encode(out, i == proposals.size() - 1);
        }
    }
}
