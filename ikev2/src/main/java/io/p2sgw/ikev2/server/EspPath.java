package io.p2sgw.ikev2.server;

import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.ikev2.engine.ChildSa;
import io.p2sgw.ikev2.esp.EspSa;
import io.p2sgw.ikev2.esp.InboundEspSa;
import io.p2sgw.ikev2.esp.OutboundEspSa;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A tunnel's ESP-in-UDP data path (RFC 3948, RFC 4303 tunnel mode) over the sans-I/O ESP SAs of
 * {@code io.p2sgw.ikev2.esp}: inbound ESP (by our SPI) is opened in place on the core's datagram reader and the inner
 * packet handed to {@link SessionHandle#fromClient}, which checks its source is the client's address; the core's
 * packets for the client are sealed under the current outbound SA and queued on the NAT-T socket for the burst's
 * flush.
 *
 * <p>A CHILD SA rekey (ikev2.md §7.3) installs the new pair next to the old one: we receive on both at once, and
 * move our sending to the new SA when the first packet arrives on it (the client has installed it then) or when the
 * client deletes the old one, whichever comes first. The SA set is replaced whole (copy on write) by the tunnel's IKE
 * thread; the readers only read it, so the hot paths take no lock but the outbound SA's own, which only the core's TUN
 * reader contends for.
 */
final class EspPath {
    /** The largest ESP packet we build: an IPv4 packet of 64 KiB and the most ESP adds to it. */
    private static final int MAX_SEALED = 65_535 + 64;

    private record Installed(ChildSa child, EspSa sa, long generation) {}

    private final IkeTunnel tunnel;
    private final ReentrantLock sealing = new ReentrantLock();
    private volatile Installed[] installed = new Installed[0];
    private volatile Installed sending;
    /**
     * The last CHILD SA whose outbound sequence numbers passed {@code OutboundEspSa#REKEY_THRESHOLD}, or null: set by
     * the TUN reader (one volatile write per SA), read by the tunnel's timer, which has the IKE side rekey it.
     */
    private volatile ChildSa wornOut;
    private long generations;
    /** Guarded by {@link #sealing}. */
    private byte[] sealed = new byte[2048];
    private ByteBuffer sealedView = ByteBuffer.wrap(sealed);
    /** Reader thread only: one view per receive array, re-pointed for each packet (no allocation per packet). */
    private byte[] openArray;
    private ByteBuffer openView;

    EspPath(IkeTunnel tunnel) {
        this.tunnel = tunnel;
    }

    /** A new CHILD SA (IKE_AUTH or a rekey): receive on it now; the first one also sends at once. IKE thread. */
    void install(ChildSa child) {
        Installed i = new Installed(child, EspSa.of(child), ++generations);
        Installed[] now = Arrays.copyOf(installed, installed.length + 1);
        now[now.length - 1] = i;
        installed = now;
        if (sending == null) {
            sending = i;
        }
    }

    /** A CHILD SA is gone (the client deleted the rekeyed one, or the tunnel ended): stop using it. IKE thread. */
    void remove(ChildSa child) {
        List<Installed> keep = new ArrayList<>();
        Installed gone = null;
        for (Installed i : installed) {
            if (i.child().inboundSpi() == child.inboundSpi()) {
                gone = i;
            } else {
                keep.add(i);
            }
        }
        if (gone == null) {
            return;
        }
        installed = keep.toArray(Installed[]::new);
        if (sending == gone) {
            sending = keep.isEmpty() ? null : keep.getLast();
        }
        sealing.lock();
        try {
            gone.sa().wipe();
        } finally {
            sealing.unlock();
        }
    }

    /** One ESP packet from the client, {@code b[off, off+len)} from its SPI on. The core's datagram reader. */
    void fromClient(byte[] b, int off, int len, int spi, DatagramPeer from) {
        Installed in = null;
        for (Installed i : installed) {
            if (i.child().inboundSpi() == spi) {
                in = i;
                break;
            }
        }
        if (in == null) {
            return;
        }
        InboundEspSa sa = in.sa().inbound();
        int n = sa.open(b, off, len);
        if (n == InboundEspSa.DROPPED) {
            return;
        }
        // Authenticated: the client is alive, and where it sends from is where it is (RFC 3948 §3.5 NAT rebinding).
        tunnel.heardOverEsp(from);
        Installed s = sending;
        if (s != null && in.generation() > s.generation()) {
            // The client sends on the rekeyed SA, so it has installed it: ours moves there too (ikev2.md §7.3).
            sending = in;
        }
        if (n == InboundEspSa.NO_PAYLOAD) {
            return;
        }
        SessionHandle h = tunnel.handle();
        if (h == null) {
            return;
        }
        if (b != openArray) {
            openArray = b;
            openView = ByteBuffer.wrap(b);
        }
        int start = off + sa.payloadOffset();
        openView.clear().position(start).limit(start + n);
        h.fromClient(openView);
    }

    /**
     * Seals {@code ipPacket} for the client and queues it on the NAT-T socket (the core flushes at the burst's end).
     * False when there is no SA to send on (not yet, or any more), or the SA's sequence numbers are used up: the core
     * counted the packet as delivered, so the caller reports the drop. The core's TUN reader.
     */
    boolean toClient(ByteBuffer ipPacket) {
        Installed s = sending;
        DatagramPeer to = tunnel.espPeer();
        if (s == null || to == null) {
            return false;
        }
        OutboundEspSa out = s.sa().outbound();
        sealing.lock();
        try {
            int need = out.sealedLength(ipPacket.remaining());
            if (need > MAX_SEALED) {
                return false;
            }
            if (sealed.length < need) {
                sealed = new byte[Math.max(need, 2 * sealed.length)];
                sealedView = ByteBuffer.wrap(sealed);
            }
            int n = out.seal(ipPacket, sealed, 0);
            if (out.rekeyNeeded() && wornOut != s.child()) {
                wornOut = s.child(); // RFC 4303 §3.3.3: the counter must not wrap; rekey long before it would
            }
            if (n == OutboundEspSa.EXHAUSTED) {
                return false;
            }
            return tunnel.run().sender.queue(sealedView.clear().limit(n), to);
        } finally {
            sealing.unlock();
        }
    }

    /** The CHILD SA whose sequence numbers near their end (null: none yet); any thread. */
    ChildSa wornOut() {
        return wornOut;
    }

    /** Every SA gone (the tunnel ended). IKE thread. */
    void clear() {
        for (Installed i : installed) {
            remove(i.child());
        }
    }
}
