/**
 * The data-plane core as a protocol server sees it (OpenVPN now; IKEv2 and SSTP next).
 *
 * <p>A protocol server authenticates a client with its own handshake, then asks the core to
 * {@linkplain io.p2sgw.dataplane.spi.GatewayCore#admit admit} the client's certificate chain. The core
 * applies the one certificate policy (chain to a trusted certificate, validity, Client Authentication
 * EKU, thumbprint not revoked), the SKU limit and the address pool, and on success returns a
 * {@link io.p2sgw.dataplane.spi.SessionHandle}. From then on:
 * <ul>
 *   <li>decrypted IP packets from the client go to {@link io.p2sgw.dataplane.spi.SessionHandle#fromClient};
 *   <li>IP packets for the client's pool address come back through
 *       {@link io.p2sgw.dataplane.spi.TunnelEndpoint#sendToClient}, which the protocol implements;
 *   <li>the core may close the session at any time (revocation, admin disconnect, root removed) through
 *       {@link io.p2sgw.dataplane.spi.TunnelEndpoint#close};
 *   <li>what the protocol drops after the core handed it over is reported with
 *       {@link io.p2sgw.dataplane.spi.SessionHandle#droppedToClient}, so the session's counters count what left;
 *   <li>a NAT rebinding is reported with {@link io.p2sgw.dataplane.spi.SessionHandle#updatePublicAddress};
 *   <li>a reauthentication (IKEv2, make-before-break) asks {@link io.p2sgw.dataplane.spi.GatewayCore#readmit} for a
 *       second handle of the same session, address and counters;
 *   <li>the protocol reports its own end with {@link io.p2sgw.dataplane.spi.SessionHandle#close}.
 * </ul>
 * TCP 443 is shared: the core accepts connections, reads the first bytes and hands the connection to
 * the {@link io.p2sgw.dataplane.spi.StreamProtocol} that claims them (OpenVPN's length-prefixed
 * HARD_RESET vs SSTP's TLS ClientHello); from then on the core reads the connection and pushes its bytes to the
 * protocol's {@link io.p2sgw.dataplane.spi.StreamReceiver}, and the protocol writes through the core's
 * {@link io.p2sgw.dataplane.spi.StreamWriter} (a TLS stream: {@code congested()} before encrypting,
 * {@code writeOrClose} for every byte). UDP is the same: the core binds a
 * {@link io.p2sgw.dataplane.spi.DatagramService}'s ports while its tunnel type is enabled, pushes every datagram
 * with its {@link io.p2sgw.dataplane.spi.DatagramPeer} to the service's
 * {@link io.p2sgw.dataplane.spi.DatagramReceiver}, and the service replies through the core's
 * {@link io.p2sgw.dataplane.spi.DatagramSender}.
 *
 * <p>Before admission a client is held to the core's {@link io.p2sgw.dataplane.spi.PreAuthBudget}
 * ({@link io.p2sgw.dataplane.spi.GatewayCore#preAuth}): a deadline from accept (TCP) or from the datagram that made the
 * protocol keep state (UDP) to admission, a cap per source address and in total, and every refusal counted by reason.
 * On TCP the core takes and releases the ticket itself (admission releases it, matched by the request's public
 * address); a datagram service takes one when it starts keeping state for a peer (an OpenVPN reset that passed
 * tls-auth, an IKEv2 half-open SA) and drops that state when the ticket expires.
 */
package io.p2sgw.dataplane.spi;
