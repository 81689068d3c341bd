package io.p2sgw.openvpn.engine;

import io.p2sgw.openvpn.wire.ControlPacket;
import io.p2sgw.openvpn.wire.Opcode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reliability layer of one key_state (openvpn.md §3.1, reliable.c): message ids start at 0 per
 * direction, at most {@link #SEND_WINDOW} unacknowledged packets in flight, retransmit with doubling
 * timeout or after {@link #ACK_RETRANSMIT} later packets were ACKed, in-order delivery with a
 * {@link #RECEIVE_WINDOW}-packet reorder buffer, every received packet (duplicates too) ACKed. Sans-I/O.
 */
final class Reliability {
    /** TLS_RELIABLE_N_SEND_BUFFERS: stay well inside the client's 12-packet receive window. */
    static final int SEND_WINDOW = 6;
    /** TLS_RELIABLE_N_REC_BUFFERS. */
    static final int RECEIVE_WINDOW = 12;
    /** N_ACK_RETRANSMIT. */
    static final int ACK_RETRANSMIT = 3;
    /** Pending ACK ids kept (RELIABLE_ACK_SIZE). */
    static final int MAX_PENDING_ACKS = 8;
    /** Bound on TLS output waiting for the window: a handshake flight with large chains fits easily. */
    static final int MAX_QUEUED = 64;
    private static final long MAX_TIMEOUT_MILLIS = 60_000;

    /** An outgoing reliable message. */
    static final class Outgoing {
        final Opcode opcode;
        final long id;
        final byte[] payload;
        long nextSendAt;
        long timeout;
        int laterAcked;
        boolean sent;

        Outgoing(Opcode opcode, long id, byte[] payload) {
            this.opcode = opcode;
            this.id = id;
            this.payload = payload;
        }
    }

    private final long initialTimeoutMillis;
    private long nextSendId;
    private final Deque<Outgoing> inFlight = new ArrayDeque<>();
    private final Deque<Outgoing> waiting = new ArrayDeque<>();
    private long nextExpected;
    private final Map<Long, ControlPacket> reorder = new TreeMap<>();
    private final Deque<Long> pendingAcks = new ArrayDeque<>();

    Reliability(long initialTimeoutMillis) {
        this.initialTimeoutMillis = initialTimeoutMillis;
    }

    /** Queues a reliable message; returns its id. */
    long queue(Opcode opcode, byte[] payload) {
        if (inFlight.size() + waiting.size() >= MAX_QUEUED) {
            throw new IllegalStateException("control send queue full");
        }
        Outgoing o = new Outgoing(opcode, nextSendId++, payload);
        waiting.addLast(o);
        return o.id;
    }

    /** Packets due now (first sends inside the window, and retransmissions). */
    List<Outgoing> due(long now) {
        while (inFlight.size() < SEND_WINDOW && !waiting.isEmpty()) {
            inFlight.addLast(waiting.pollFirst());
        }
        List<Outgoing> out = new ArrayList<>();
        for (Outgoing o : inFlight) {
            if (!o.sent || now >= o.nextSendAt || o.laterAcked >= ACK_RETRANSMIT) {
                o.timeout = o.sent ? Math.min(o.timeout * 2, MAX_TIMEOUT_MILLIS) : initialTimeoutMillis;
                o.nextSendAt = now + o.timeout;
                o.laterAcked = 0;
                o.sent = true;
                out.add(o);
            }
        }
        return out;
    }

    /** Applies ACKs from the peer; unknown or repeated ids are ignored (openvpn.md §11.1). */
    void acknowledged(List<Long> ids) {
        for (long id : ids) {
            Iterator<Outgoing> it = inFlight.iterator();
            while (it.hasNext()) {
                Outgoing o = it.next();
                if (o.id == id) {
                    it.remove();
                    for (Outgoing earlier : inFlight) {
                        if (earlier.id < id) {
                            earlier.laterAcked++;
                        }
                    }
                    break;
                }
            }
        }
    }

    boolean isAcked(long id) {
        for (Outgoing o : inFlight) {
            if (o.id == id) {
                return false;
            }
        }
        for (Outgoing o : waiting) {
            if (o.id == id) {
                return false;
            }
        }
        return id < nextSendId;
    }

    boolean allAcked() {
        return inFlight.isEmpty() && waiting.isEmpty();
    }

    /**
     * Takes a received reliable packet; returns the packets now deliverable in order. Out-of-window ids
     * are dropped and not ACKed (reliable.c "breaks sequentiality"); everything else is ACKed.
     */
    List<ControlPacket> received(ControlPacket p) {
        long id = p.messageId();
        if (id >= nextExpected + RECEIVE_WINDOW) {
            return List.of();
        }
        ack(id);
        if (id < nextExpected || reorder.containsKey(id)) {
            return List.of();
        }
        reorder.put(id, p);
        List<ControlPacket> ready = new ArrayList<>();
        ControlPacket next;
        while ((next = reorder.remove(nextExpected)) != null) {
            ready.add(next);
            nextExpected++;
        }
        return ready;
    }

    private void ack(long id) {
        if (pendingAcks.contains(id)) {
            return;
        }
        if (pendingAcks.size() >= MAX_PENDING_ACKS) {
            pendingAcks.pollFirst();
        }
        pendingAcks.addLast(id);
    }

    boolean hasPendingAcks() {
        return !pendingAcks.isEmpty();
    }

    /** Removes and returns up to {@code max} pending ACK ids. */
    List<Long> takeAcks(int max) {
        List<Long> out = new ArrayList<>(Math.min(max, pendingAcks.size()));
        while (out.size() < max && !pendingAcks.isEmpty()) {
            out.add(pendingAcks.pollFirst());
        }
        return out;
    }
}
