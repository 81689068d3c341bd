package io.p2sgw.openvpn.wire;

/** A packet or message that does not parse or verify; the code says why (for counters and logs). */
public final class WireException extends Exception {
    /** Why a packet was rejected. */
    public enum Code {
        TRUNCATED, BAD_OPCODE, BAD_KEY_ID, TOO_MANY_ACKS, BAD_LENGTH, BAD_HMAC, REPLAY, BAD_KEY_METHOD,
        STRING_TOO_LONG, BAD_STRING, TOO_LARGE
    }

    private final Code code;

    public WireException(Code code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
