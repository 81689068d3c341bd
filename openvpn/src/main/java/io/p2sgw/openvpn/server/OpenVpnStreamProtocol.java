package io.p2sgw.openvpn.server;

import io.p2sgw.common.buffer.BufferPool;
import io.p2sgw.common.concurrent.Ticker;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.PreAuthBudget;
import io.p2sgw.dataplane.spi.StreamProtocol;
import io.p2sgw.dataplane.spi.StreamReceiver;
import io.p2sgw.dataplane.spi.StreamWriter;
import io.p2sgw.openvpn.wire.ControlWrap;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenVPN over TCP on the shared 443 listener: every packet carries a u16 length prefix (openvpn.md §2.1).
 * The probe claims connections whose first packet is a client hard reset.
 */
public final class OpenVpnStreamProtocol implements StreamProtocol, AutoCloseable {
    /** Largest packet accepted on the stream: the client's buffers are 1600/1768 bytes (openvpn.md §2.1). */
    public static final int MAX_PACKET = 4096;
    /** Smallest plausible wrapped client reset (tls-crypt: 1 + 8 + 8 + 32 + 1). */
    static final int MIN_RESET = 1 + 8 + 8 + 32 + 1;

    private static final Logger LOG = LoggerFactory.getLogger(OpenVpnStreamProtocol.class);

    private final OpenVpnServerConfig config;
    private final TlsServerContext tls;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger peerIds = new AtomicInteger();
    /** Room for {@code TunnelEndpoint.MAX_PACKETS_PER_FLUSH} full-size packets with their length prefixes. */
    static final int BATCH_BYTES = 64 * 1024;
    /** Where a burst of outgoing packets is gathered to be written with one system call (direct: no copy to send). */
    static final BufferPool WRITE_BATCHES = new BufferPool(BATCH_BYTES, BufferPool.DEFAULT_MAX_POOLED, true);

    private final Ticker<OpenVpnConnection> ticker = new Ticker<>("openvpn-tcp-timer");

    public OpenVpnStreamProtocol(OpenVpnServerConfig config) throws GeneralSecurityException {
        this.config = config;
        this.tls = new TlsServerContext(new ServerIdentity(config.serverKey(), config.serverChain()), random);
    }

    @Override
    public String name() {
        return "OpenVPN";
    }

    @Override
    public TunnelType tunnelType() {
        return TunnelType.OPENVPN;
    }

    @Override
    public Probe probe(ByteBuffer firstBytes) {
        if (firstBytes.remaining() < 3) {
            return Probe.NEED_MORE;
        }
        int p = firstBytes.position();
        int len = (firstBytes.get(p) & 0xFF) << 8 | (firstBytes.get(p + 1) & 0xFF);
        byte first = firstBytes.get(p + 2);
        boolean reset = first == Opcode.CONTROL_HARD_RESET_CLIENT_V2.firstByte(0)
                || first == Opcode.CONTROL_HARD_RESET_CLIENT_V3.firstByte(0);
        return reset && len >= MIN_RESET && len <= MAX_PACKET ? Probe.MATCH : Probe.NO_MATCH;
    }

    @Override
    public StreamReceiver open(InetSocketAddress remote, StreamWriter writer, GatewayCore core) {
        return new StreamConnection(remote, new StreamTransport(writer), core);
    }

    /** Stops the timer thread (the core owns the listener and the connections). */
    @Override
    public void close() {
        ticker.close();
    }

    /**
     * One TCP client: the core's reader pushes its bytes here. Data packets are decrypted and forwarded on that
     * thread, straight from its buffer; control packets (the TLS handshake, renegotiation) are copied and handled on
     * the connection's own virtual thread ({@link OpenVpnConnection#onControlLater}), as over UDP, so an RSA signature
     * never holds up the other clients that reader serves.
     */
    final class StreamConnection implements StreamReceiver, FrameAssembler.Sink {
        private final InetSocketAddress remote;
        private final StreamTransport transport;
        private final GatewayCore core;
        private final FrameAssembler frames = new FrameAssembler(MAX_PACKET);
        /** Null until the first packet, a client reset, passed the tls-auth / tls-crypt check. */
        private OpenVpnConnection connection;

        StreamConnection(InetSocketAddress remote, StreamTransport transport, GatewayCore core) {
            this.remote = remote;
            this.transport = transport;
            this.core = core;
        }

        @Override
        public boolean received(ByteBuffer bytes) {
            FrameAssembler.Result r = frames.feed(bytes, this);
            if (r == FrameAssembler.Result.BAD_LENGTH) {
                LOG.atDebug().log(() -> "OpenVPN TCP " + remote + ": bad packet length " + frames.badLength()
                        + "; the stream lost its framing, closing");
                if (connection == null) {
                    // Not a client's stream at all: counted by the core's pre-authentication budget (issue 13).
                    core.preAuth().refused(PreAuthBudget.Transport.TCP, remote, PreAuthBudget.Refusal.JUNK);
                }
                return false;
            }
            return r == FrameAssembler.Result.MORE && (connection == null || !connection.ended());
        }

        @Override
        public boolean packet(byte[] buf, int off, int len) {
            OpenVpnConnection c = connection;
            if (c == null) {
                return start(Arrays.copyOfRange(buf, off, off + len));
            }
            if (Opcode.isData(buf[off])) {
                c.onPacket(buf, off, len);
            } else {
                c.onControlLater(Arrays.copyOfRange(buf, off, off + len), NOTHING);
            }
            return !c.ended();
        }

        /** The first packet: only a client reset that passes the tls-auth / tls-crypt check starts a session. */
        private boolean start(byte[] first) {
            Optional<GatewaySnapshot> snapshot = core.snapshot();
            if (snapshot.isEmpty()) {
                return false;
            }
            long unixTime = config.clock().millis() / 1000;
            Optional<ControlWrap> wrap = WrapDetector.detect(snapshot.get(), first, unixTime);
            if (wrap.isEmpty()) {
                LOG.atDebug().log(() -> "OpenVPN TCP " + remote + ": first packet failed tls-auth/tls-crypt; closing");
                core.preAuth().refused(PreAuthBudget.Transport.TCP, remote, PreAuthBudget.Refusal.BAD_HMAC);
                return false;
            }
            OpenVpnConnection c = new OpenVpnConnection(wrap.get(), tls, config, core, remote, transport,
                    peerIds.getAndIncrement() & 0xFFFFFF, random, ticker::remove, first);
            connection = c;
            ticker.add(c);
            c.onControlLater(first, NOTHING);
            return true;
        }

        @Override
        public void ended(String reason) {
            OpenVpnConnection c = connection;
            if (c != null) {
                c.transportClosed(reason);
                ticker.remove(c);
            }
            transport.close();
        }
    }

    private static final Runnable NOTHING = () -> { };

    /**
     * Writes length-prefixed packets through the core's {@link StreamWriter}, which never waits for the client.
     * Data packets from the TUN reader are {@linkplain #queue queued} into a borrowed {@link BufferPool#WRITE_BATCHES}
     * buffer and written together at the end of the burst: one {@code send} and fuller TCP segments for up to 32
     * packets, where the stock server writes each packet alone. Anything sent with {@link #send} goes after what is
     * queued, so the stream keeps its order. A write the client cannot take is dropped whole by the writer (a batch,
     * or one packet), so the framing stays intact; OpenVPN's reliability layer sends a dropped control packet again.
     */
    static final class StreamTransport implements Transport {
        @Override
        public PreAuthBudget.Transport kind() {
            return PreAuthBudget.Transport.TCP;
        }

        private final StreamWriter writer;
        private final ReentrantLock lock = new ReentrantLock();
        /** Guarded by {@link #lock}. */
        private byte[] viewArray;
        private ByteBuffer view;
        /** The burst being gathered, or null; guarded by {@link #lock}. */
        private ByteBuffer pending;
        /** How many of the core's packets {@link #pending} holds and their plaintext bytes; guarded by {@link #lock}. */
        private int pendingPackets;
        private long pendingPlainBytes;
        private volatile DataDrops drops = (packets, bytes) -> { };
        private boolean closed;

        StreamTransport(StreamWriter writer) {
            this.writer = writer;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                if (pending != null) {
                    queueLocked(buf, off, len, 0, 0);
                    flushLocked();
                    return;
                }
                prefix(buf, off, len);
                // One view per transmit array (the session mostly sends from one), re-pointed per packet.
                if (buf != viewArray) {
                    viewArray = buf;
                    view = ByteBuffer.wrap(buf);
                }
                writer.write(view.clear().position(off - 2).limit(off + len));
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void sendControl(byte[] buf, int off, int len) {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                // The data gathered so far first (droppable, as always), then this packet, kept if the client is
                // slow: the stream stays in order either way.
                flushLocked();
                prefix(buf, off, len);
                writer.writeReliably(ByteBuffer.wrap(buf, off - 2, len + 2));
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void queue(byte[] buf, int off, int len, int plainBytes) {
            lock.lock();
            try {
                queueLocked(buf, off, len, 1, plainBytes);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void reportDropsTo(DataDrops sink) {
            drops = sink;
        }

        @Override
        public void flush() {
            lock.lock();
            try {
                flushLocked();
            } finally {
                lock.unlock();
            }
        }

        /** Adds a packet to the batch; {@code corePackets}/{@code plainBytes} count what the core gave us in it. */
        private void queueLocked(byte[] buf, int off, int len, int corePackets, long plainBytes) {
            if (closed) {
                if (corePackets > 0) {
                    drops.dropped(corePackets, plainBytes);
                }
                return;
            }
            if (pending == null) {
                pending = WRITE_BATCHES.borrow();
            } else if (pending.remaining() < 2 + len) {
                writeBatchLocked(pending.flip());
                pending.clear();
            }
            prefix(buf, off, len);
            pending.put(buf, off - 2, 2 + len);
            pendingPackets += corePackets;
            pendingPlainBytes += plainBytes;
        }

        private void flushLocked() {
            ByteBuffer p = pending;
            if (p == null) {
                return;
            }
            pending = null;
            writeBatchLocked(p.flip());
            WRITE_BATCHES.release(p);
        }

        /** Writes a batch; when the writer drops it, its packets from the core are reported dropped (issue 12). */
        private void writeBatchLocked(ByteBuffer batch) {
            if (!writer.write(batch) && pendingPackets > 0) {
                drops.dropped(pendingPackets, pendingPlainBytes);
            }
            pendingPackets = 0;
            pendingPlainBytes = 0;
        }

        private static void prefix(byte[] buf, int off, int len) {
            buf[off - 2] = (byte) (len >>> 8);
            buf[off - 1] = (byte) len;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                if (pending != null) {
                    WRITE_BATCHES.release(pending);
                    pending = null;
                    if (pendingPackets > 0) {
                        drops.dropped(pendingPackets, pendingPlainBytes);
                    }
                    pendingPackets = 0;
                    pendingPlainBytes = 0;
                }
            } finally {
                lock.unlock();
            }
            writer.close();
        }
    }

}
