package io.p2sgw.sstp.ppp;

/**
 * What IPCP hands out for one session (RFC 1332, DNS by RFC 1877; sstp.md §4.4), known only once the client is
 * admitted: its pool address, and the gateway's tunnel address and DNS servers that come with the admission.
 * Addresses are IPv4 as ints; 0 for {@code serverAddress} or for both DNS servers means "take {@link PppSettings}'s".
 */
public record IpcpLease(int clientAddress, int serverAddress, int dns1, int dns2) {
    public IpcpLease {
        if (clientAddress == 0) {
            throw new IllegalArgumentException("no client address");
        }
    }

    /** Just the client's address; the rest from {@link PppSettings}. */
    public static IpcpLease of(int clientAddress) {
        return new IpcpLease(clientAddress, 0, 0, 0);
    }
}
