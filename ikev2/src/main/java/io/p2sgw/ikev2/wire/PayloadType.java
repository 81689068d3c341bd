package io.p2sgw.ikev2.wire;

import java.util.Optional;

/** IKEv2 payload types (RFC 7296 §3.2, RFC 7383 §2.5 for SKF; ikev2.md §1.2). */
public enum PayloadType {
    SA(33),
    KE(34),
    IDI(35),
    IDR(36),
    CERT(37),
    CERTREQ(38),
    AUTH(39),
    NONCE(40),
    NOTIFY(41),
    DELETE(42),
    VENDOR_ID(43),
    TSI(44),
    TSR(45),
    SK(46),
    CP(47),
    EAP(48),
    SKF(53);

    /** "No Next Payload" (RFC 7296 §3.2). */
    public static final int NONE = 0;

    private static final PayloadType[] VALUES = values();

    private final int code;

    PayloadType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<PayloadType> of(int code) {
        for (PayloadType t : VALUES) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
