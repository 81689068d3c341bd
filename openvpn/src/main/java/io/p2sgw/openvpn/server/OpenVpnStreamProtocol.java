package io.p2sgw.openvpn.server;

import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.StreamProtocol;
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
    public void serve(SocketChannel channel, ByteBuffer alreadyRead, GatewayCore core) {
        InetSocketAddress remote;
        try {
            remote = (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            closeQuietly(channel);
            return;
        }
        StreamTransport transport = new StreamTransport(channel, "OpenVPN TCP " + remote);
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

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
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
     * Writes length-prefixed packets (openvpn.md §2.1) without ever making the caller wait for the client. Packets
     * are gathered in a borrowed {@link WriteBatchBuffers} buffer; a writer virtual thread, started when there is
     * something to write and gone when there is not, writes each batch with one {@code write}: a burst from the TUN
     * reader leaves in one system call and fuller TCP segments, where the stock server writes each packet alone.
     *
     * <p>A client that does not read (a full TCP send buffer) blocks only its own writer. While that writer waits,
     * a few more batches fill ({@link #MAX_READY}); packets beyond them are dropped and counted, so the TUN reader, and with it every other
     * client, keeps going ({@code TunnelEndpoint#sendToClient}: "must not block"), and neither does a session's
     * timer holding the session lock. A dropped data packet is sent again by the inner TCP, a dropped control
     * packet by the reliability layer (openvpn.md §3), a dropped ping does not matter. What is sent leaves in the
     * order it was given.
     */
    static final class StreamTransport implements Transport {
        private final SocketChannel channel;
        private final String name;
        private final ReentrantLock lock = new ReentrantLock();
        /** The batch being filled, or null; guarded by {@link #lock} like the fields below. */
        private ByteBuffer pending;
        /** Full batches waiting for the writer, oldest first; at most {@link #MAX_READY}. */
        private final java.util.ArrayDeque<ByteBuffer> ready = new java.util.ArrayDeque<>(MAX_READY);
        /**
         * Full batches that may wait behind the one being written before packets are dropped: with the one being
         * filled and the one being written, 4 x 64 KiB for a client that has stopped reading.
         */
        static final int MAX_READY = 2;
        private boolean writerActive;
        private boolean closed;
        private long dropped;
        private boolean dropping;

        StreamTransport(SocketChannel channel) {
            this(channel, "OpenVPN TCP");
        }

        StreamTransport(SocketChannel channel, String name) {
            this.channel = channel;
            this.name = name;
        }

        /** Queues and flushes (control packets, pings); dropped like data when the client is that far behind. */
        @Override
        public void send(byte[] buf, int off, int len) {
            lock.lock();
            try {
                queueLocked(buf, off, len);
                startWriterLocked();
            } finally {
                lock.unlock();
            }
        }

        /** Queues a data packet until {@link #flush} (or a full batch); drops it when {@link #MAX_READY} full batches wait. */
        @Override
        public void queue(byte[] buf, int off, int len) {
            lock.lock();
            try {
                queueLocked(buf, off, len);
            } finally {
                lock.unlock();
            }
        }

        private void queueLocked(byte[] buf, int off, int len) {
            if (closed) {
                return;
            }
            if (pending != null && pending.remaining() < 2 + len) {
                if (ready.size() >= MAX_READY) {
                    // Batches are piling up behind the one being written: the client is not reading.
                    dropped++;
                    if (!dropping) {
                        dropping = true;
                        LOG.log(System.Logger.Level.INFO, name + ": the client is not reading; dropping packets to it until it catches up");
                    }
                    return;
                }
                ready.add(pending);
                pending = null;
                startWriterLocked();
            }
            dropping = false;
            if (pending == null) {
                pending = WriteBatchBuffers.borrow();
            }
            pending.put((byte) (len >>> 8)).put((byte) len).put(buf, off, len);
        }

        @Override
        public void flush() {
            lock.lock();
            try {
                startWriterLocked();
            } finally {
                lock.unlock();
            }
        }

        /** Data packets dropped because the client did not keep up. */
        long dropped() {
            lock.lock();
            try {
                return dropped;
            } finally {
                lock.unlock();
            }
        }

        private void startWriterLocked() {
            if (!writerActive && !closed && (!ready.isEmpty() || pending != null && pending.position() > 0)) {
                writerActive = true;
                Thread.ofVirtual().name("openvpn-tcp-writer").start(this::writeLoop);
            }
        }

        /** Takes batches until none is left, writing each without holding the lock. */
        private void writeLoop() {
            while (true) {
                ByteBuffer batch;
                lock.lock();
                try {
                    if (!ready.isEmpty()) {
                        batch = ready.poll();
                    } else {
                        batch = pending;
                        pending = null;
                    }
                    if (closed || batch == null || batch.position() == 0) {
                        writerActive = false;
                        if (batch != null) {
                            WriteBatchBuffers.release(batch);
                        }
                        if (closed) {
                            releaseAllLocked();
                        }
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                try {
                    batch.flip();
                    while (batch.hasRemaining()) {
                        channel.write(batch);
                    }
                } catch (IOException e) {
                    close();
                } finally {
                    WriteBatchBuffers.release(batch);
                }
            }
        }

        private void releaseAllLocked() {
            if (pending != null) {
                WriteBatchBuffers.release(pending);
                pending = null;
            }
            for (ByteBuffer b; (b = ready.poll()) != null; ) {
                WriteBatchBuffers.release(b);
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (!writerActive) {
                    releaseAllLocked();
                }
            } finally {
                lock.unlock();
            }
            closeQuietly(channel);
        }
    }

}
