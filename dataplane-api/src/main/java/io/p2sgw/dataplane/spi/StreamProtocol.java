package io.p2sgw.dataplane.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A protocol served on the shared TCP listener (443). The core reads the first bytes of every
 * connection and asks each registered protocol whether they are its own (Netty's port unification).
 */
public interface StreamProtocol {
    enum Probe { MATCH, NO_MATCH, NEED_MORE }

    /** Name for logs ("OpenVPN", "SSTP"). */
    String name();

    /** The tunnel type this protocol serves; the core routes nothing to it while the type is disabled. */
    io.p2sgw.dataplane.api.TunnelType tunnelType();

    /** Looks at the bytes read so far (position..limit, not consumed). */
    Probe probe(ByteBuffer firstBytes);

    /**
     * Takes over one connection the probe matched and returns its receiver. The core then reads the connection and
     * hands every byte to that receiver, beginning with the bytes it read while probing. Everything the protocol
     * sends goes through {@code writer}, which never waits for the client (the core's TUN reader writes through it
     * too); closing the writer ends the connection (the core then calls {@link StreamReceiver#ended}).
     *
     * @param remote the client's address and port
     */
    StreamReceiver open(InetSocketAddress remote, StreamWriter writer, GatewayCore core);
}
