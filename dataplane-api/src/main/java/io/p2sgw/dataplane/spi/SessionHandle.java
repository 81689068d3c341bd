package io.p2sgw.dataplane.spi;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The core's side of an admitted session, held by the protocol session. Thread-safe.
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
     * An IP packet the client sent, already decrypted. The core checks the source address is the
     * session's own (drops and counts otherwise) and forwards it. The buffer's position..limit is the
     * packet; the core does not keep the buffer after returning.
     */
    void fromClient(ByteBuffer ipPacket);

    /** The protocol ended the session (client quit, timeout, error); releases the lease. Idempotent. */
    void close(String reason);
}
