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
     * The core ends the session (revoked, root removed, admin disconnect, tunnel type disabled). The
     * protocol tells the client where it can (OpenVPN: AUTH_FAILED/RESTART or EXIT, IKE: Delete, SSTP:
     * Call Disconnect) and releases its resources. Idempotent. Must not call back into {@link SessionHandle#close}
     * synchronously with a lock held.
     */
    void close(String reason);
}
