package io.p2sgw.openvpn.wire;

/**
 * The control-channel "HMAC firewall": tls-auth or tls-crypt (openvpn.md §4). Converts between the
 * plain {@link ControlPacket} layout and the wire layout, keeping the session's outgoing replay counter
 * and incoming replay window. Not thread-safe: one per session.
 */
public sealed interface ControlWrap permits TlsAuthWrap, TlsCryptWrap {
    /** Wire bytes for a plain control packet (counter incremented on every send, retransmissions too). */
    byte[] wrap(byte[] plain);

    /** Verifies (constant time), then replay-checks, then returns the plain layout. */
    byte[] unwrap(byte[] wire) throws WireException;

    /** Bytes the wrapping adds to a plain packet. */
    int overhead();

    /** "tls-auth" or "tls-crypt", for logs. */
    String name();
}
