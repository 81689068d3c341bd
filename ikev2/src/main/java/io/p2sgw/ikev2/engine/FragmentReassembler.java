package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.wire.EncryptedFragmentPayload;
import io.p2sgw.ikev2.wire.IkeHeader;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the verified plaintexts of SKF fragments of one IKE SA (RFC 7383 §2.6.2; ikev2.md §4.4): one message at a
 * time; fragments may arrive out of order or twice; a fragment of a newer Message ID, or of the same message cut into
 * more fragments (a retransmission with a smaller size), discards what was collected; one cut into fewer is ignored.
 * Total size is capped. Feed it only fragments whose ICV verified. Confined to the IKE SA's thread.
 */
final class FragmentReassembler {
    private static final Logger LOG = LoggerFactory.getLogger(FragmentReassembler.class);

    /** A reassembled message's inner payload chain and the type it starts with (from fragment 1). */
    record Reassembled(int messageId, int firstInnerType, byte[] inner) {}

    private int messageId = -1;
    private int total;
    private byte[][] pieces = new byte[0][];
    private int firstInnerType;
    private int collected;
    private int bytes;

    Optional<Reassembled> offer(int id, EncryptedFragmentPayload skf, byte[] plaintext) {
        IkeFragmentCounters.received();
        int n = skf.fragmentNumber();
        int t = skf.totalFragments();
        if (id != messageId || t > total) {
            if (id != messageId && messageId != -1 && Integer.compareUnsigned(id, messageId) < 0) {
                return Optional.empty();
            }
            reset(id, t);
        } else if (t < total) {
            return Optional.empty();
        }
        if (pieces[n - 1] != null) {
            return Optional.empty();
        }
        if (bytes + plaintext.length > IkeHeader.MAX_MESSAGE_LENGTH) {
            reset(-1, 0);
            return Optional.empty();
        }
        pieces[n - 1] = plaintext;
        bytes += plaintext.length;
        collected++;
        if (n == 1) {
            firstInnerType = skf.firstInnerType();
        }
        if (collected < total) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes);
        for (byte[] p : pieces) {
            out.writeBytes(p);
        }
        Reassembled r = new Reassembled(messageId, firstInnerType, out.toByteArray());
        IkeFragmentCounters.reassembled();
        LOG.debug("reassembled IKE message ID {}: {} bytes from {} fragments (RFC 7383)",
                Integer.toUnsignedLong(messageId), r.inner().length, total);
        reset(-1, 0);
        messageId = r.messageId();
        return Optional.of(r);
    }

    private void reset(int id, int t) {
        messageId = id;
        total = t;
        pieces = new byte[t][];
        collected = 0;
        bytes = 0;
        firstInnerType = 0;
    }
}
