package io.p2sgw.dataplane.spi;

import io.p2sgw.dataplane.api.TunnelType;
import java.io.IOException;
import java.net.InetAddress;

/**
 * A protocol that owns its UDP sockets (OpenVPN on 1194, IKE on 500/4500). The core starts it while
 * its tunnel type is enabled in the snapshot and closes it (and so its sessions) when it is removed.
 */
public interface DatagramService extends AutoCloseable {
    String name();

    TunnelType tunnelType();

    /** Opens the sockets on {@code bindAddress} and starts serving; returns once listening. */
    void start(InetAddress bindAddress, GatewayCore core) throws IOException;

    /** Closes the sockets and ends every session of this service. Idempotent. */
    @Override
    void close();
}
