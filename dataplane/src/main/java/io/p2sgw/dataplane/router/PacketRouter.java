package io.p2sgw.dataplane.router;

import io.p2sgw.dataplane.session.Session;
import io.p2sgw.dataplane.session.SessionRegistry;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
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
 *
 * <p>The reader works in bursts: while the TUN has packets queued it keeps reading without waiting, and only when
 * the queue is empty (or a burst is long enough) does it tell each session that got packets to flush them
 * ({@link Session#flushToClient()}), so a stream protocol can write a burst in one system call.
 */
public final class PacketRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PacketRouter.class);
    /** How long the reader waits in poll() before re-checking whether it should stop. */
    private static final int POLL_MILLIS = 200;
    /** Packets read without waiting before every session in the burst is flushed anyway (latency bound). */
    static final int MAX_BURST_PACKETS = 64;

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
        Burst burst = new Burst();
        while (running) {
            int n;
            try {
                // Wait only when nothing is pending: a pending burst is flushed first, when the queue runs dry.
                n = device.read(buffer, burst.isEmpty() ? POLL_MILLIS : 0);
            } catch (IOException e) {
                burst.flush();
                if (running) {
                    LOG.error("TUN {} read failed, reader stops: {}", device.name(), e.getMessage());
                }
                return;
            }
            if (n > 0) {
                routeFromTun(buffer, burst);
                if (burst.packets >= MAX_BURST_PACKETS) {
                    burst.flush();
                }
            } else {
                burst.flush();
            }
        }
        burst.flush();
    }

    /** Delivers one packet that came out of the TUN and flushes it. Public for tests without a kernel device. */
    public void routeFromTun(ByteBuffer packet) {
        Burst one = new Burst();
        routeFromTun(packet, one);
        one.flush();
    }

    private void routeFromTun(ByteBuffer packet, Burst burst) {
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
            burst.add(s);
        } catch (RuntimeException e) {
            LOG.warn("{}: sendToClient failed: {}", s.connectionId(), e.toString());
        }
    }

    /**
     * The sessions that got packets since the last flush, each with its count; owned by the reader thread. A
     * handful of slots (a burst rarely spans many clients); when they are full, or a session reaches
     * {@link TunnelEndpoint#MAX_PACKETS_PER_FLUSH}, that session is flushed at once.
     */
    static final class Burst {
        private static final int SLOTS = 8;
        private final Session[] sessions = new Session[SLOTS];
        private final int[] counts = new int[SLOTS];
        private int size;
        int packets;

        boolean isEmpty() {
            return size == 0;
        }

        void add(Session s) {
            packets++;
            for (int i = 0; i < size; i++) {
                if (sessions[i] == s) {
                    if (++counts[i] >= TunnelEndpoint.MAX_PACKETS_PER_FLUSH) {
                        flushSlot(i);
                    }
                    return;
                }
            }
            if (size == SLOTS) {
                flush();
            }
            sessions[size] = s;
            counts[size] = 1;
            size++;
        }

        private void flushSlot(int i) {
            Session s = sessions[i];
            size--;
            sessions[i] = sessions[size];
            counts[i] = counts[size];
            sessions[size] = null;
            flushOne(s);
        }

        void flush() {
            for (int i = 0; i < size; i++) {
                Session s = sessions[i];
                sessions[i] = null;
                flushOne(s);
            }
            size = 0;
            packets = 0;
        }

        private static void flushOne(Session s) {
            try {
                s.flushToClient();
            } catch (RuntimeException e) {
                LOG.warn("{}: flushToClient failed: {}", s.connectionId(), e.toString());
            }
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
