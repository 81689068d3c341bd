package io.p2sgw.dataplane.spi;

import io.p2sgw.dataplane.api.TunnelType;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A client that finished its protocol's authentication handshake and asks for a session.
 *
 * @param clientChain the chain the client presented, leaf first (as the TLS or IKE layer received it)
 * @param publicAddress the client's outer address and port
 * @param endpoint the protocol's side of the session: how the core sends packets to it and closes it
 */
public record AdmissionRequest(
        TunnelType tunnelType,
        List<X509Certificate> clientChain,
        InetSocketAddress publicAddress,
        TunnelEndpoint endpoint) {
    public AdmissionRequest {
        Objects.requireNonNull(tunnelType, "tunnelType");
        clientChain = List.copyOf(clientChain);
        if (clientChain.isEmpty()) {
            throw new IllegalArgumentException("a client chain has at least the leaf certificate");
        }
        Objects.requireNonNull(publicAddress, "publicAddress");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
