package io.p2sgw.ikev2.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * IKE fragmentation (RFC 7383) as seen by every IKE SA of this process: fragments received and the messages they
 * reassembled into, fragmented messages sent and their fragments. Windows and strongSwan fragment IKE_AUTH when the
 * client's certificate chain is large (ikev2.md §4.4); these say whether that happens and whether it completes. Read
 * by the server's metrics ({@code p2sgw_ike_fragments_total{direction}},
 * {@code p2sgw_ike_fragmented_messages_total{direction}}); process-wide, so tests compare before and after.
 */
public final class IkeFragmentCounters {
    private static final LongAdder FRAGMENTS_RECEIVED = new LongAdder();
    private static final LongAdder MESSAGES_REASSEMBLED = new LongAdder();
    private static final LongAdder FRAGMENTS_SENT = new LongAdder();
    private static final LongAdder MESSAGES_FRAGMENTED = new LongAdder();

    private IkeFragmentCounters() {}

    /** SKF fragments whose ICV verified (RFC 7383 §2.6.2), duplicates included. */
    public static long fragmentsReceived() {
        return FRAGMENTS_RECEIVED.sum();
    }

    /** Requests reassembled whole from their fragments. */
    public static long messagesReassembled() {
        return MESSAGES_REASSEMBLED.sum();
    }

    /** SKF fragments we sent, first transmissions only (a retransmission resends the same bytes). */
    public static long fragmentsSent() {
        return FRAGMENTS_SENT.sum();
    }

    /** Responses we cut into fragments. */
    public static long messagesFragmented() {
        return MESSAGES_FRAGMENTED.sum();
    }

    static void received() {
        FRAGMENTS_RECEIVED.increment();
    }

    static void reassembled() {
        MESSAGES_REASSEMBLED.increment();
    }

    static void sent(int fragments) {
        MESSAGES_FRAGMENTED.increment();
        FRAGMENTS_SENT.add(fragments);
    }
}
