package io.p2sgw.dataplane.spi;

import java.nio.ByteBuffer;

/** The protocol's side of a session: implemented by OpenVPN/IKEv2/SSTP sessions. Thread-safe. */
public interface TunnelEndpoint {
    /**
     * An IP packet for this client from the VNet. The buffer's position..limit is the packet and is
     * valid only during the call: encrypt or copy before returning. Must not block for long; drop (and
     * count) when the client cannot keep up.
     */
    void sendToClient(ByteBuffer ipPacket);

    /**
     * The end of a burst: the core has no more packets for this client right now. A stream protocol may hold
     * packets given to {@link #sendToClient} since the last flush to write them together (one system call and
     * fewer, fuller TCP segments instead of one per packet); here it writes them. The core calls it on the thread
     * that called {@code sendToClient}, after at most {@link #MAX_PACKETS_PER_FLUSH} packets. Default: nothing is
     * held back.
     */
    default void flushToClient() {
    }

    /** The most packets the core hands to one endpoint between two {@link #flushToClient} calls. */
    int MAX_PACKETS_PER_FLUSH = 32;

    /**
     * The core ends the session (revoked, root removed, admin disconnect, tunnel type disabled). The
     * protocol tells the client where it can (OpenVPN: AUTH_FAILED/RESTART or EXIT, IKE: Delete, SSTP:
     * Call Disconnect) and releases its resources. Idempotent. Must not call back into {@link SessionHandle#close}
     * synchronously with a lock held.
     */
    void close(String reason);
}
