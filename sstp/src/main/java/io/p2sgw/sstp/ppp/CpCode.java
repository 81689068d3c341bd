package io.p2sgw.sstp.ppp;

/**
 * Codes of the PPP control protocols (LCP: RFC 1661 §5, RFC 1570; IPCP uses 1-7 only, RFC 1332 §2).
 */
public final class CpCode {
    public static final int CONFIGURE_REQUEST = 1;
    public static final int CONFIGURE_ACK = 2;
    public static final int CONFIGURE_NAK = 3;
    public static final int CONFIGURE_REJECT = 4;
    public static final int TERMINATE_REQUEST = 5;
    public static final int TERMINATE_ACK = 6;
    public static final int CODE_REJECT = 7;
    public static final int PROTOCOL_REJECT = 8;
    public static final int ECHO_REQUEST = 9;
    public static final int ECHO_REPLY = 10;
    public static final int DISCARD_REQUEST = 11;
    /** RFC 1570: Windows RAS sends these; ignored, not Code-Rejected (sstp.md §4.2). */
    public static final int IDENTIFICATION = 12;
    public static final int TIME_REMAINING = 13;

    private CpCode() {
    }
}
