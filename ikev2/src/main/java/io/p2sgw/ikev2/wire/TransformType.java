package io.p2sgw.ikev2.wire;

/** Transform types (RFC 7296 §3.3.2); DH is "Key Exchange Method" since RFC 9370, same number. */
public final class TransformType {
    public static final int ENCR = 1;
    public static final int PRF = 2;
    public static final int INTEG = 3;
    public static final int DH = 4;
    public static final int ESN = 5;

    private TransformType() {}

    public static String name(int type) {
        return switch (type) {
            case ENCR -> "ENCR";
            case PRF -> "PRF";
            case INTEG -> "INTEG";
            case DH -> "DH";
            case ESN -> "ESN";
            default -> "TYPE" + type;
        };
    }
}
