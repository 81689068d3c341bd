package io.p2sgw.ikev2.wire;

import java.util.Optional;

/** IKEv2 exchange types (RFC 7296 §3.1). */
public enum ExchangeType {
    IKE_SA_INIT(34),
    IKE_AUTH(35),
    CREATE_CHILD_SA(36),
    INFORMATIONAL(37);

    private static final ExchangeType[] VALUES = values();

    private final int code;

    ExchangeType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<ExchangeType> of(int code) {
        for (ExchangeType t : VALUES) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
