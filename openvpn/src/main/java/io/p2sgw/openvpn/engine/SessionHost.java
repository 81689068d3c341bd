package io.p2sgw.openvpn.engine;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What an {@link OpenVpnSession} asks of its binding. Called with the session's lock held; must not call
 * back into the session.
 */
public interface SessionHost {
    /**
     * Sends one OpenVPN packet at {@code buf[off..off+len)}. {@code off >= 2} always, so a TCP binding can
     * write the u16 length prefix in place (openvpn.md §2.1). The bytes are valid only during the call.
     */
    void transmit(byte[] buf, int off, int len);

    /**
     * Sends one control-channel packet (P_CONTROL_*, P_ACK_V1) like {@link #transmit}. A TCP binding must not drop
     * these for a client that is slow to read, as it drops data packets: a renegotiation would fail with them
     * (the stock server's {@code --tcp-queue-limit}, openvpn(8), drops only packets coming from its TUN).
     */
    default void transmitControl(byte[] buf, int off, int len) {
        transmit(buf, off, len);
    }

    /** Decides on the client chain, after TLS and key method 2 (key_id 0 only). */
    AuthDecision authenticate(List<X509Certificate> clientChain, String peerInfoSummary);

    /**
     * A decrypted IP packet from the client at {@code buf[off..off+len)}: at most once per {@code onPacket} call,
     * from inside it, and the bytes stay as they are until the session's next {@code onPacket}.
     */
    void deliver(byte[] buf, int off, int len);

    /** The session is over; the binding closes the transport and releases the lease. Called once. */
    void ended(String reason);

    /**
     * The first handshake failed (a TLS alert or error, a malformed key method 2 message) before the client was
     * authenticated: the host reports it to the core's pre-authentication counters ({@code handshake_failed}). Not
     * called for a failed renegotiation of an authenticated session. Called with the host's lock held; must not wait.
     */
    default void handshakeFailed(String why) {
    }
}
