package io.p2sgw.dataplane.spi;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

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
     * Serves one connection until it ends. Runs on its own virtual thread; blocking reads are fine. Everything the
     * protocol sends goes through {@code writer}, which never waits for the client (the core's TUN reader writes
     * through it too); the core closes it when this returns.
     *
     * @param alreadyRead the bytes the core read while probing; they come before anything still in the channel
     */
    void serve(SocketChannel channel, ByteBuffer alreadyRead, StreamWriter writer, GatewayCore core);
}
