package io.p2sgw.sstp.ppp;

/**
 * A PPP control packet or option list whose lengths do not add up. RFC 1661 §5 has such packets silently discarded,
 * so this never reaches the peer; it is counted and logged.
 */
public final class MalformedPacketException extends RuntimeException {
    public MalformedPacketException(String message) {
        super(message);
    }
}
