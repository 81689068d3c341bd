package io.p2sgw.sstp.ppp;

/** PPP protocol numbers used over SSTP (IANA PPP DLL protocol numbers; sstp.md §4.1). */
public final class PppProtocol {
    public static final int IPV4 = 0x0021;
    public static final int IPV6 = 0x0057;
    public static final int IPCP = 0x8021;
    public static final int IPV6CP = 0x8057;
    public static final int CCP = 0x80FD;
    public static final int LCP = 0xC021;
    public static final int PAP = 0xC023;
    public static final int CHAP = 0xC223;
    public static final int EAP = 0xC227;

    private PppProtocol() {
    }
}
