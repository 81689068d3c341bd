package io.p2sgw.dataplane.spi;

import io.p2sgw.dataplane.api.TunnelType;
import java.util.List;

/**
 * A protocol served over UDP (OpenVPN on 1194, IKE on 500 and 4500). The core owns the sockets (DESIGN.md "Two
 * planes"): while the service's tunnel type is enabled in the snapshot it binds {@link #ports()} on the gateway's
 * address (one socket per local IPv4 address when that is the wildcard, so replies leave from the address a client
 * sent to), calls {@link #start} for a receiver, and pushes every datagram to it; when the type is removed it calls
 * {@link DatagramReceiver#stopped} and closes the sockets. Each enable is a fresh {@link #start}, so nothing of a
 * previous run (closed flags, sessions) survives into the next one.
 */
public interface DatagramService {
    /** Name for logs ("OpenVPN/UDP", "IKEv2"). */
    String name();

    /** The tunnel type this service serves; it runs only while the type is enabled. */
    TunnelType tunnelType();

    /** The UDP ports to bind (0: an ephemeral port, for tests; the same one on every local address). */
    List<Integer> ports();

    /**
     * Starts a run on sockets the core has bound; returns the receiver the core then pushes their datagrams to. Every
     * reply goes through {@code sender}.
     */
    DatagramReceiver start(DatagramSender sender, GatewayCore core);
}
