package io.p2sgw.ikev2.server;

import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.ikev2.engine.ChildSa;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tunnel's ESP-in-UDP data path (RFC 3948, RFC 4303): inbound ESP by SPI, decrypted into the core; the core's
 * packets for the client encrypted under the current outbound SA. Not wired to an ESP engine yet: packets are
 * counted and dropped.
 */
final class EspPath {
    private final IkeTunnel tunnel;
    private final AtomicLong droppedInbound = new AtomicLong();

    EspPath(IkeTunnel tunnel) {
        this.tunnel = tunnel;
    }

    void install(ChildSa child) {
    }

    void remove(ChildSa child) {
    }

    boolean toClient(ByteBuffer ipPacket) {
        return false;
    }

    void fromClient(byte[] b, int off, int len, int spi, DatagramPeer from) {
        droppedInbound.incrementAndGet();
    }
}
