package io.p2sgw.dataplane.spi;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The core's one budget for clients that have not authenticated yet, shared by every protocol (issue 13): nothing
 * unauthenticated may hold a resource for long, or many of them. A protocol gets it from {@link GatewayCore#preAuth}.
 *
 * <p>What the budget bounds, whatever bytes arrive meanwhile:
 * <ul>
 *   <li><b>Time.</b> Each {@link Ticket} has a deadline, counted from the TCP accept or from the datagram that made
 *       the protocol keep state for a UDP peer, until the client is {@linkplain GatewayCore#admit admitted}. When it
 *       passes, the core runs the ticket's expiry action (for TCP: it closes the connection) and counts
 *       {@link Refusal#TIMEOUT}.
 *   <li><b>Number.</b> At most a configured number of tickets per source address, and in all; beyond them
 *       {@link #enter} answers empty and counts {@link Refusal#PER_SOURCE_CAP} or {@link Refusal#TOTAL_CAP}.
 *   <li><b>Visibility.</b> Every refusal is counted in {@code /metrics} by reason
 *       ({@code p2sgw_preauth_refusals_total{transport,reason}}), and the log says it at a bounded rate.
 * </ul>
 *
 * <p>How each kind of protocol uses it:
 * <ul>
 *   <li><b>On the shared TCP listener</b> ({@link StreamProtocol}: OpenVPN-TCP, SSTP) the core takes the ticket when
 *       it accepts the connection and releases it when the connection ends; the protocol does nothing for the
 *       deadline. The core releases it on the {@link GatewayCore#admit} (or {@link GatewayCore#readmit}) that is
 *       {@link Admission.Admitted} whose {@link AdmissionRequest#publicAddress()} is the connection's remote address
 *       (what {@link StreamProtocol#open} was given): pass that address unchanged. An SSTP server therefore has its
 *       TLS handshake, HTTP request, SSTP negotiation and PPP/EAP authentication all inside one deadline. A protocol
 *       that drops a connection for bad input reports why with {@link #refused} before it returns false from
 *       {@link StreamReceiver#received} ({@link Refusal#JUNK}, {@link Refusal#BAD_HMAC},
 *       {@link Refusal#HANDSHAKE_FAILED}).
 *   <li><b>Over UDP</b> ({@link DatagramService}: OpenVPN-UDP, IKEv2) the core keeps no per-peer state, so the
 *       protocol asks: {@link #enter} when a datagram makes it keep state for a peer (OpenVPN: a client reset that
 *       passed tls-auth/tls-crypt; IKEv2: an IKE_SA_INIT that creates a half-open IKE SA), giving the action that
 *       drops that state at the deadline; and {@link Ticket#release} when the state goes (the handshake failed, the
 *       half-open SA was deleted). Admission releases the ticket as for TCP (by {@link DatagramPeer#remote()}), so
 *       an admitted session never expires; releasing it again is harmless. When the peer's address or port changed
 *       between the ticket and the admission (IKE moving from port 500 to 4500 behind a NAT, RFC 7296 §2.23), the core
 *       cannot match them: release the ticket yourself once the client is admitted. A datagram dropped without keeping state
 *       is counted with {@link #refused} (garbage: {@link Refusal#JUNK}; a failed integrity check before any state:
 *       {@link Refusal#BAD_HMAC}). These calls allocate nothing, so a flood costs a counter increment each.
 * </ul>
 *
 * <p>Thread-safe. The expiry action runs on the core's timer thread: it must not wait; ending state through the
 * protocol's own queue or thread is right.
 */
public interface PreAuthBudget {
    /** Which transport a client uses; a metric tag. */
    enum Transport {
        TCP("tcp"),
        UDP("udp");

        private final String tag;

        Transport(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** Why an unauthenticated client, connection or datagram was turned away; a metric tag. */
    enum Refusal {
        /** Not the protocol's bytes: an unidentified TCP connection, a datagram no protocol state explains. */
        JUNK("junk"),
        /** The protocol's packet, but its integrity check failed before any state (OpenVPN tls-auth/tls-crypt). */
        BAD_HMAC("bad_hmac"),
        /** The protocol's handshake failed before admission (a TLS alert, an IKE notify), not the certificate policy. */
        HANDSHAKE_FAILED("handshake_failed"),
        /** Not admitted within the deadline; the core closed the connection or ran the ticket's expiry action. */
        TIMEOUT("timeout"),
        /** The source address holds as many unauthenticated tickets as it may. */
        PER_SOURCE_CAP("per_source_cap"),
        /** The gateway holds as many unauthenticated tickets as it may. */
        TOTAL_CAP("total_cap");

        private final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** One unauthenticated connection or peer's place in the budget. Thread-safe; every method idempotent. */
    interface Ticket {
        /** The client was admitted or its state is gone: the place is free and the deadline no longer applies. */
        void release();

        /** The protocol gives up on the client before admission: counts {@code reason} and releases the ticket. */
        void refuse(Refusal reason);
    }

    /**
     * Takes a place for an unauthenticated client from {@code from}, or answers empty (and counts the cap that was
     * reached) when its address or the gateway has no place left: then keep no state for it.
     *
     * @param onExpiry run once, on the core's timer thread, if the ticket is still held at its deadline
     */
    Optional<Ticket> enter(Transport transport, InetSocketAddress from, Runnable onExpiry);

    /** Counts a refusal that holds nothing (a dropped datagram, a connection the protocol is closing). */
    void refused(Transport transport, InetSocketAddress from, Refusal reason);

    /** No bounds and no counting: what a core without a budget (a test's fake) offers. */
    PreAuthBudget UNLIMITED = new PreAuthBudget() {
        private final Ticket nothing = new Ticket() {
            @Override
            public void release() {
            }

            @Override
            public void refuse(Refusal reason) {
            }
        };

        @Override
        public Optional<Ticket> enter(Transport transport, InetSocketAddress from, Runnable onExpiry) {
            return Optional.of(nothing);
        }

        @Override
        public void refused(Transport transport, InetSocketAddress from, Refusal reason) {
        }
    };
}
