package io.p2sgw.sstp.ppp;

/**
 * What the PPP server engine needs to know (sstp.md §4.2-4.4). Addresses are IPv4 as ints, 0 meaning "none".
 *
 * @param mru the MRU we ask for (Windows' tunnel MTU is 1400; 1500 is the PPP default)
 * @param serverAddress our tunnel address, sent in our IPCP Configure-Request
 * @param dns1 primary DNS for the client (RFC 1877), or 0
 * @param dns2 secondary DNS for the client, or 0
 * @param firstLcpDelayMillis how long to wait for the client's first LCP frame before we send our Configure-Request
 *     (sstpc before 1.0.18 could echo early frames back, sstp.md §4.2)
 * @param eapRetransmitMillis how long an EAP-Request waits for its Response before it is sent again
 * @param eapMaxTries how many times an EAP-Request is sent before authentication fails
 */
public record PppSettings(int mru, int serverAddress, int dns1, int dns2, long firstLcpDelayMillis,
        long eapRetransmitMillis, int eapMaxTries) {
    public PppSettings {
        if (mru < LcpPolicy.MIN_MRU || mru > LcpPolicy.MAX_MRU || eapMaxTries < 1 || eapRetransmitMillis <= 0
                || firstLcpDelayMillis < 0) {
            throw new IllegalArgumentException("PPP settings " + mru + "/" + eapMaxTries + "/" + eapRetransmitMillis);
        }
    }

    /** MRU 1500, first LCP after 1 s, EAP retransmission every 3 s up to 5 times (RFC 3748 §4.3 leaves it to us). */
    public static PppSettings defaults(int serverAddress, int dns1, int dns2) {
        return new PppSettings(LcpPolicy.DEFAULT_MRU, serverAddress, dns1, dns2, 1_000, 3_000, 5);
    }
}
