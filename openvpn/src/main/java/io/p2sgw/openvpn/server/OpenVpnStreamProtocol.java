package io.p2sgw.openvpn.server;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.StreamProtocol;
import io.p2sgw.dataplane.spi.StreamWriter;
import io.p2sgw.openvpn.wire.ControlWrap;
import io.p2sgw.openvpn.wire.Opcode;
import io.p2sgw.tls.ServerIdentity;
import io.p2sgw.tls.TlsServerContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OpenVPN over TCP on the shared 443 listener: every packet carries a u16 length prefix (openvpn.md §2.1).
 * The probe claims connections whose first packet is a client hard reset.
 */
public final class OpenVpnStreamProtocol implements StreamProtocol, AutoCloseable {
    /** Largest packet accepted on the stream: the client's buffers are 1600/1768 bytes (openvpn.md §2.1). */
    public static final int MAX_PACKET = 4096;
    /** Smallest plausible wrapped client reset (tls-crypt: 1 + 8 + 8 + 32 + 1). */
    static final int MIN_RESET = 1 + 8 + 8 + 32 + 1;

    private static final System.Logger LOG = System.getLogger(OpenVpnStreamProtocol.class.getName());

    private final OpenVpnServerConfig config;
    private final TlsServerContext tls;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger peerIds = new AtomicInteger();
    private final Ticker ticker = new Ticker("openvpn-tcp-timer");

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
    public void serve(SocketChannel channel, ByteBuffer alreadyRead, StreamWriter writer, GatewayCore core) {
        InetSocketAddress remote;
        try {
            remote = (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            writer.close();
            return;
        }
        StreamTransport transport = new StreamTransport(writer);
        FrameReader reader = new FrameReader(channel, alreadyRead);
        OpenVpnConnection connection = null;
        try {
            Optional<byte[]> first = reader.next();
            Optional<GatewaySnapshot> snapshot = core.snapshot();
            if (first.isEmpty() || snapshot.isEmpty()) {
                return;
            }
            long unixTime = config.clock().millis() / 1000;
            Optional<ControlWrap> wrap = WrapDetector.detect(snapshot.get().openVpnStaticKey(), first.get(), unixTime);
            if (wrap.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "OpenVPN TCP " + remote + ": first packet failed tls-auth/tls-crypt; closing");
                return;
            }
            connection = new OpenVpnConnection(wrap.get(), tls, config, core, remote, transport,
                    peerIds.getAndIncrement() & 0xFFFFFF, random, ticker::remove, first.get());
            ticker.add(connection);
            connection.onPacket(first.get());
            int len;
            while (!connection.ended() && (len = reader.nextInPlace()) >= 0) {
                connection.onPacket(reader.array(), reader.offset(), len);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "OpenVPN TCP " + remote + ": " + e.getMessage());
        } finally {
            if (connection != null) {
                connection.transportClosed("TCP connection closed by the client");
                ticker.remove(connection);
            }
            transport.close();
        }
    }

    /** Stops the timer thread (the core owns the listener and the connections). */
    @Override
    public void close() {
        ticker.close();
    }

    /** Reads length-prefixed packets with blocking reads; handles split and coalesced packets. */
    static final class FrameReader {
        private final SocketChannel channel;
        private final ByteBuffer buf = ByteBuffer.allocate(2 + MAX_PACKET);

        FrameReader(SocketChannel channel, ByteBuffer alreadyRead) {
            this.channel = channel;
            ByteBuffer pre = alreadyRead.duplicate();
            if (pre.remaining() > buf.capacity()) {
                pre.limit(pre.position() + buf.capacity());
            }
            buf.put(pre);
            buf.flip();
        }

        /** Start of the packet returned by the last {@link #nextInPlace} in {@link #array()}. */
        private int frameOffset;

        /** The next packet as a copy, or empty at end of stream. Throws on a bad length. */
        Optional<byte[]> next() throws IOException {
            int len = nextInPlace();
            return len < 0 ? Optional.empty() : Optional.of(Arrays.copyOfRange(buf.array(), frameOffset, frameOffset + len));
        }

        /**
         * Reads the next packet into the reader's own buffer and returns its length, or -1 at end of stream; the
         * packet is at {@link #array()}[{@link #offset()}..+length) until the next call (no copy per packet).
         * Throws on a bad length: the stream has lost its framing, so the session ends (openvpn.md §2.1).
         */
        int nextInPlace() throws IOException {
            while (true) {
                if (buf.remaining() >= 2) {
                    int len = (buf.get(buf.position()) & 0xFF) << 8 | (buf.get(buf.position() + 1) & 0xFF);
                    if (len == 0 || len > MAX_PACKET) {
                        throw new IOException("bad OpenVPN packet length " + len);
                    }
                    if (buf.remaining() >= 2 + len) {
                        frameOffset = buf.arrayOffset() + buf.position() + 2;
                        buf.position(buf.position() + 2 + len);
                        return len;
                    }
                }
                buf.compact();
                int n = channel.read(buf);
                buf.flip();
                if (n < 0) {
                    return -1;
                }
            }
        }

        byte[] array() {
            return buf.array();
        }

        int offset() {
            return frameOffset;
        }
    }

    /**
     * Writes length-prefixed packets through the core's {@link StreamWriter}, which never waits for the client.
     * Data packets from the TUN reader are {@linkplain #queue queued} into a borrowed {@link BufferPool#WRITE_BATCHES}
     * buffer and written together at the end of the burst: one {@code send} and fuller TCP segments for up to 32
     * packets, where the stock server writes each packet alone. Anything sent with {@link #send} goes after what is
     * queued, so the stream keeps its order. A write the client cannot take is dropped whole by the writer (a batch,
     * or one packet), so the framing stays intact; OpenVPN's reliability layer sends a dropped control packet again.
     */
    static final class StreamTransport implements Transport {
        private final StreamWriter writer;
        private final ReentrantLock lock = new ReentrantLock();
        /** Guarded by {@link #lock}. */
        private byte[] viewArray;
        private ByteBuffer view;
        /** The burst being gathered, or null; guarded by {@link #lock}. */
        private ByteBuffer pending;
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
                    queueLocked(buf, off, len);
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
        public void queue(byte[] buf, int off, int len) {
            lock.lock();
            try {
                queueLocked(buf, off, len);
            } finally {
                lock.unlock();
            }
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

        private void queueLocked(byte[] buf, int off, int len) {
            if (closed) {
                return;
            }
            if (pending == null) {
                pending = BufferPool.WRITE_BATCHES.borrow();
            } else if (pending.remaining() < 2 + len) {
                writer.write(pending.flip());
                pending.clear();
            }
            prefix(buf, off, len);
            pending.put(buf, off - 2, 2 + len);
        }

        private void flushLocked() {
            ByteBuffer p = pending;
            if (p == null) {
                return;
            }
            pending = null;
            writer.write(p.flip());
            BufferPool.WRITE_BATCHES.release(p);
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
                    BufferPool.WRITE_BATCHES.release(pending);
                    pending = null;
                }
            } finally {
                lock.unlock();
            }
            writer.close();
        }
    }

}
