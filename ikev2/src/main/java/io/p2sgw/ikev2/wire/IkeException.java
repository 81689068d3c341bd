package io.p2sgw.ikev2.wire;

import java.util.Arrays;

/**
 * A message that does not parse or cannot be accepted, with the IKE notify that answers it (RFC 7296 §3.10.1) and
 * that notify's data (e.g. the one-byte payload type for UNSUPPORTED_CRITICAL_PAYLOAD, the two-byte group for
 * INVALID_KE_PAYLOAD). Whether the notify is actually sent is the engine's decision: unauthenticated garbage is
 * dropped silently (RFC 7296 §2.21.1).
 */
public final class IkeException extends RuntimeException {
    private static final byte[] NO_DATA = new byte[0];

    private final NotifyType notify;
    private final byte[] data;

    public IkeException(NotifyType notify, String message) {
        this(notify, NO_DATA, message);
    }

    public IkeException(NotifyType notify, byte[] data, String message) {
        super(notify + ": " + message);
        this.notify = notify;
        this.data = data.clone();
    }

    public static IkeException syntax(String message) {
        return new IkeException(NotifyType.INVALID_SYNTAX, message);
    }

    public NotifyType notifyType() {
        return notify;
    }

    public byte[] data() {
        return Arrays.copyOf(data, data.length);
    }
}
