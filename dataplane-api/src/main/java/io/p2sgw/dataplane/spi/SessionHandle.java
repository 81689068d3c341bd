package io.p2sgw.dataplane.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The core's side of an admitted session, held by the protocol session. Thread-safe.
 *
 * <p>A session may have more than one handle over its life: {@link GatewayCore#readmit} issues a new one for the same
 * session (IKEv2 reauthentication). Each handle belongs to one protocol endpoint.
 */
public interface SessionHandle {
    /** {@code <Protocol>_<GUID>} (azure-p2s.md §6.1); use it in every log line of the session. */
    String connectionId();

    /** The address leased from the pool, dotted quad. */
    String address();

    /** The pool prefix length this protocol's slice uses (for topology-subnet style pushes). */
    int poolPrefixLength();

    /** The gateway's own address inside the pool (route-gateway / PPP peer address). */
    String gatewayAddress();

    /** Prefixes to route through the tunnel, CIDR strings (VNet, pool, custom routes). */
    List<String> routes();

    /** DNS servers to push. */
    List<String> dnsServers();

    /** The client certificate's subject CN. */
    String userName();

    /**
     * The largest IP packet, in bytes, the tunnel should carry: what a protocol that negotiates it offers the client
     * (PPP MRU for SSTP, the inner MTU an IKEv2 client configures: sstp.md §4.6, ikev2.md §6.5). It is the core's one
     * setting for it ({@code DataPlaneConfig.TUNNEL_MTU}, at most the TUN's MTU). OpenVPN pushes its own
     * {@code tun-mtu} as the stock server does.
     */
    int tunnelMtu();

    /** The client's outer address and port as last {@linkplain #updatePublicAddress updated}. */
    InetSocketAddress publicAddress();

    /**
     * The client's outer address or port changed (a NAT rebinding: UDP encapsulated ESP from a new port, RFC 3948 §3.5
     * / RFC 7296 §2.23; or an authenticated packet of the session from a new address). The health API reports the new
     * one. The protocol calls this only after the packet from the new address authenticated, never on an
     * unauthenticated packet. Cheap when the address did not change.
     */
    void updatePublicAddress(InetSocketAddress address);

    /**
     * An IP packet the client sent, already decrypted. The core checks the source address is the
     * session's own (drops and counts otherwise) and forwards it. The buffer's position..limit is the
     * packet; the core does not keep the buffer after returning.
     */
    void fromClient(ByteBuffer ipPacket);

    /**
     * Packets the core gave to {@link TunnelEndpoint#sendToClient} did not reach the client's connection: the protocol
     * dropped them (no keys yet, the connection was congested, its transport dropped the write that held them). The
     * core counts every packet it delivers as egress, so the protocol reports each drop here, with the plaintext IP
     * packet lengths the core gave it, and the session's egress counters leave them out. Never blocks.
     */
    void droppedToClient(int packets, long bytes);

    /**
     * The protocol is done with this handle (client quit, timeout, error, the old IKE SA of a reauthentication
     * deleted). Ends the session and releases its lease, unless a {@linkplain GatewayCore#readmit newer handle} has
     * taken the session over: then only this handle ends. Idempotent.
     */
    void close(String reason);
}
