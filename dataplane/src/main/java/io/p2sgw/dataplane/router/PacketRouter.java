package io.p2sgw.dataplane.router;

import io.p2sgw.dataplane.session.Session;
import io.p2sgw.dataplane.session.SessionRegistry;
import io.p2sgw.dataplane.tun.LinuxTun;
import io.p2sgw.dataplane.tun.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves packets between the TUN and sessions. TUN → session: one platform thread reads into one reusable
 * buffer and hands the packet to the session owning the destination address. Session → TUN: the source
 * must be the session's own address, else the packet is dropped and counted.
 */
public final class PacketRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PacketRouter.class);
    /** How long the reader waits in poll() before re-checking whether it should stop. */
    private static final int POLL_MILLIS = 200;

    private final SessionRegistry sessions;
    private final Consumer<DropReason> dropCounter;
    private volatile TunDevice tun;
    private volatile Thread reader;
    private volatile boolean running;

    public PacketRouter(SessionRegistry sessions, Consumer<DropReason> dropCounter) {
        this.sessions = sessions;
        this.dropCounter = dropCounter;
    }

    /** Starts reading from {@code device}; replaces (and closes) a previous device. */
    public synchronized void attach(TunDevice device) {
        stopReader();
        this.tun = device;
        running = true;
        Thread t = Thread.ofPlatform().daemon().name("tun-reader-" + device.name()).unstarted(() -> readLoop(device));
        reader = t;
        t.start();
    }

    public Optional<TunDevice> device() {
        return Optional.ofNullable(tun);
    }

    private void readLoop(TunDevice device) {
        // One direct buffer for the life of the reader: no allocation per packet.
        ByteBuffer buffer = ByteBuffer.allocateDirect(LinuxTun.MAX_PACKET);
        while (running) {
            int n;
            try {
                n = device.read(buffer, POLL_MILLIS);
            } catch (IOException e) {
                if (running) {
                    LOG.error("TUN {} read failed, reader stops: {}", device.name(), e.getMessage());
                }
                return;
            }
            if (n > 0) {
                routeFromTun(buffer);
            }
        }
    }

    /** Delivers one packet that came out of the TUN. Public for tests without a kernel device. */
    public void routeFromTun(ByteBuffer packet) {
        if (!Ipv4Header.isIpv4(packet)) {
            dropCounter.accept(DropReason.NOT_IPV4);
            return;
        }
        Session s = sessions.ownerOf(Ipv4Header.destination(packet));
        if (s == null || s.isClosed()) {
            dropCounter.accept(DropReason.NO_SESSION);
            return;
        }
        try {
            s.deliverToClient(packet);
        } catch (RuntimeException e) {
            LOG.warn("{}: sendToClient failed: {}", s.connectionId(), e.toString());
        }
    }

    /** A packet from a client's session: anti-spoofing, then into the kernel. */
    public void routeFromClient(Session session, ByteBuffer packet) {
        if (!Ipv4Header.isIpv4(packet)) {
            dropCounter.accept(DropReason.NOT_IPV4);
            return;
        }
        if (Ipv4Header.source(packet) != session.addressValue()) {
            dropCounter.accept(DropReason.SPOOFED_SOURCE);
            return;
        }
        TunDevice device = tun;
        if (device == null) {
            dropCounter.accept(DropReason.NO_TUN);
            return;
        }
        int len = packet.remaining();
        try {
            device.write(packet);
            session.countIngress(len);
        } catch (IOException e) {
            dropCounter.accept(DropReason.TUN_WRITE_ERROR);
        }
    }

    private void stopReader() {
        running = false;
        Thread t = reader;
        if (t != null) {
            try {
                t.join(5L * POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reader = null;
        TunDevice old = tun;
        tun = null;
        if (old != null) {
            old.close();
        }
    }

    @Override
    public synchronized void close() {
        stopReader();
    }
}
