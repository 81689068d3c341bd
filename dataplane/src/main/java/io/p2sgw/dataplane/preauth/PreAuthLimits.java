package io.p2sgw.dataplane.preauth;

import java.time.Duration;
import java.util.Objects;

/**
 * The pre-authentication budget's bounds (issue 13), one set for every protocol ({@code DataPlaneConfig#preAuthLimits}).
 *
 * @param deadline  from accept (TCP) or the datagram that made a protocol keep state (UDP) to admission
 * @param perSource unauthenticated tickets one source address may hold at once
 * @param total     unauthenticated tickets the gateway holds at once
 */
public record PreAuthLimits(Duration deadline, int perSource, int total) {
    /**
     * 60 s, the stock OpenVPN server's {@code hand-window}: TLS and key method 2 must finish within it or the server
     * gives up (openvpn.md §4 "Timeout"; the client gives up on its push request after the same 60 s). A client the
     * stock server would let finish is never cut short, on a lossy link where the control channel retransmits with
     * doubling timeouts included. IKEv2 fits inside it (clients retransmit IKE_SA_INIT/IKE_AUTH within about 30 s;
     * strongSwan drops half-open SAs after 30 s, ikev2.md "half_open_timeout"), and so does SSTP's first negotiation
     * timer (60 s for the Connect Request, [MS-SSTP] 3.1.2, sstp.md "Timers"); an SSTP client that shows a
     * certificate picker during EAP may need longer, which is what the {@code deadline} setting is for. A real handshake
     * takes well under a second; what bounds an attacker is the caps below, not this time.
     */
    public static final int DEFAULT_DEADLINE_SECONDS = 60;
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(DEFAULT_DEADLINE_SECONDS);
    /**
     * 32 per source address. The reproduction held 7,000 connections from one address; strongSwan already asks an
     * address for a cookie at 3 half-open SAs ({@code cookie_threshold_ip}, ikev2.md), but a site's NAT puts many real clients behind one address, and
     * after a gateway restart they all reconnect at once: 32 handshakes of about 100 ms each admit a few hundred clients
     * per second from one address, and a client refused here retries (OpenVPN after its connect-retry, IKE on
     * retransmission).
     */
    public static final int DEFAULT_PER_SOURCE = 32;
    /**
     * 1,024 in all: one descriptor each for TCP (about 5% of the 20,000 the lab host allows), one half-open state each
     * for UDP, and the same bound OpenVPN-UDP keeps on its own half-open sessions ({@code maxHalfOpen}). A real
     * handshake holds its place for well under a second, so this admits more than a thousand clients per second.
     */
    public static final int DEFAULT_TOTAL = 1024;

    public static final PreAuthLimits DEFAULT = new PreAuthLimits(DEFAULT_DEADLINE, DEFAULT_PER_SOURCE, DEFAULT_TOTAL);

    public PreAuthLimits {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the pre-authentication deadline must be positive");
        }
        if (perSource < 1 || total < 1) {
            throw new IllegalArgumentException("pre-authentication caps must be positive");
        }
    }

    public PreAuthLimits withDeadline(Duration d) {
        return new PreAuthLimits(d, perSource, total);
    }
}
