package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.ffm.Libc;
import io.p2sgw.dataplane.spi.StreamWriter;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's {@link StreamWriter}: the TUN reader writes a client's packets with a {@code send} that never waits
 * ({@link SocketFd}), so one client that stops reading holds up nobody else.
 *
 * <p>What the socket does not take at once (the client's receive window and our send buffer are full) is copied
 * and handed to a virtual thread of this connection, which waits for the client and writes it. Until that thread
 * is done, every further write is dropped whole and counted: a queue of one write, on top of the kernel's socket
 * buffer, like OpenVPN's {@code tcp-queue-limit} (openvpn.md §2.1). Memory per stalled client is bounded by that one
 * write (at most one batch of packets), and the stream's framing stays whole because only whole writes are dropped.
 * Control-channel bytes ({@link #writeReliably}) are the exception: they queue behind the backlog, up to
 * {@link #MAX_KEPT_BYTES}, and the drain thread writes them after it. A TLS stream's bytes ({@link #writeOrClose})
 * queue the same way but are never dropped: past the bound the connection is closed instead ({@link Outcome#OVERFLOW}).
 * In the common case (the socket takes everything) this is one system call on the caller's thread, as a blocking
 * write was, and no thread hand-off (a writer thread per connection cost about 40% of VM-to-client throughput,
 * issue #4 notes).
 */
public final class NonBlockingStreamWriter implements StreamWriter {
    private static final Logger LOG = LoggerFactory.getLogger(NonBlockingStreamWriter.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /**
     * Control-channel bytes kept per connection while it is backlogged. OpenVPN's control packets are at most about
     * 1.3 KB and its reliability layer has a few in flight per key (openvpn.md §3), so this holds dozens; what a
     * client that reads nothing makes us keep stays bounded.
     */
    public static final int MAX_KEPT_BYTES = 64 * 1024;

    /** How a write is treated while the connection is backlogged. */
    enum Kind {
        /** Dropped whole ({@link #write}). */
        DROPPABLE,
        /** Kept up to {@link #MAX_KEPT_BYTES}, dropped beyond ({@link #writeReliably}). */
        RELIABLE,
        /** Kept up to {@link #MAX_KEPT_BYTES}; beyond, nothing is written and the caller closes ({@link #writeOrClose}). */
        KEEP_OR_CLOSE
    }

    /** What became of a write. */
    enum Outcome {
        /** Sent, or kept to be sent after what waits. */
        TAKEN,
        /** Dropped whole and counted. */
        DROPPED,
        /** Not written: keeping it would pass {@link #MAX_KEPT_BYTES}; the connection must close (a stream with a hole is worse). */
        OVERFLOW,
        /** The connection is closed. */
        CLOSED
    }

    /** The reason a connection ends with when a {@link #writeOrClose} overflows. */
    public static final String OVERFLOW_REASON = "the client is not reading: more than " + MAX_KEPT_BYTES / 1024
            + " KiB wait for it on a stream that may not lose bytes; closed rather than drop part of it";

    private final SocketChannel channel;
    /**
     * The socket's descriptor: our own duplicate, closed (under {@link #lock}) by {@link #close}, or, when
     * {@link #ownsDescriptor} is false, the channel's own number, which its owner closes only after {@link #close}
     * returned ({@link TcpConnection#finish}).
     */
    private final int fd;
    private final boolean ownsDescriptor;
    private final Runnable onDrop;
    private final String peer;
    private final ReentrantLock lock = new ReentrantLock();
    private final MemorySegment errno = Arena.ofAuto().allocate(Libc.ERRNO_SLOT);
    /** The rest of a write the socket did not take, while the drain thread writes it; guarded by {@link #lock}. */
    private ByteBuffer backlog;
    /** Reliable writes made while {@link #backlog} was waiting, in order; guarded by {@link #lock}. */
    private final ArrayDeque<ByteBuffer> kept = new ArrayDeque<>();
    private int keptBytes;
    private boolean closed;
    /** {@code closed || backlog != null}, readable without the lock ({@link #congested}); written under it. */
    private volatile boolean congested;
    private long dropped;
    private boolean toldSlow;

    private NonBlockingStreamWriter(SocketChannel channel, int fd, boolean ownsDescriptor, Runnable onDrop, String peer) {
        this.channel = channel;
        this.fd = fd;
        this.ownsDescriptor = ownsDescriptor;
        this.onDrop = onDrop;
        this.peer = peer;
    }

    /**
     * The non-blocking writer for {@code channel}, or {@link StreamWriter#blocking} (with one warning per process)
     * when this JVM does not let us have the socket's descriptor.
     *
     * @param onDrop run for each dropped write (the core counts it as {@code client_not_reading})
     */
    public static StreamWriter of(SocketChannel channel, Runnable onDrop) {
        OptionalInt fd;
        String why;
        try {
            fd = SocketFd.duplicate(channel);
            why = SocketFd.UNAVAILABLE_BECAUSE.orElse("the socket's descriptor is not available");
        } catch (LinkageError e) {
            // Not Linux, or no libc symbol: the FFM handles could not be made.
            fd = OptionalInt.empty();
            why = e.toString();
        }
        if (fd.isEmpty()) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("TCP clients are written with blocking writes: a client that stops reading will hold up the others ({})", why);
            }
            return StreamWriter.blocking(channel);
        }
        return new NonBlockingStreamWriter(channel, fd.getAsInt(), true, onDrop, peerOf(channel));
    }

    /**
     * A writer on the channel's own descriptor {@code fd} (no duplicate: one descriptor per connection, issue 13), for
     * a connection whose owner closes the channel only after this writer's {@link #close} returned, as
     * {@link TcpConnection#finish} does. Its own {@link #close} never closes the channel: it shuts the socket down,
     * which ends a drain thread's write and wakes the connection's reader, whose end then closes the channel.
     */
    static NonBlockingStreamWriter sharing(SocketChannel channel, int fd, Runnable onDrop) {
        return new NonBlockingStreamWriter(channel, fd, false, onDrop, peerOf(channel));
    }

    private static String peerOf(SocketChannel channel) {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    /** True when this JVM gives us socket descriptors, so {@link #of} returns the non-blocking writer. */
    public static boolean available() {
        try {
            return SocketFd.UNAVAILABLE_BECAUSE.isEmpty();
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    public boolean write(ByteBuffer bytes) {
        return offer(bytes, Kind.DROPPABLE) == Outcome.TAKEN;
    }

    @Override
    public boolean writeReliably(ByteBuffer bytes) {
        return offer(bytes, Kind.RELIABLE) == Outcome.TAKEN;
    }

    @Override
    public boolean writeOrClose(ByteBuffer bytes) {
        Outcome o = offer(bytes, Kind.KEEP_OR_CLOSE);
        if (o == Outcome.OVERFLOW) {
            LOG.info("TCP client {}: {}", peer, OVERFLOW_REASON);
            close();
        }
        return o == Outcome.TAKEN;
    }

    @Override
    public boolean congested() {
        return congested;
    }

    /**
     * Writes or keeps {@code bytes} as {@code kind} says; on {@link Outcome#OVERFLOW} nothing is written and the
     * connection is left open for the caller to close with its reason ({@link TcpConnection} does).
     */
    Outcome offer(ByteBuffer bytes, Kind kind) {
        lock.lock();
        try {
            if (closed) {
                return Outcome.CLOSED;
            }
            if (backlog != null && kind != Kind.DROPPABLE && keptBytes + bytes.remaining() <= MAX_KEPT_BYTES) {
                ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
                copy.put(bytes.duplicate()).flip();
                kept.add(copy);
                keptBytes += copy.remaining();
                return Outcome.TAKEN;
            }
            if (backlog != null && kind == Kind.KEEP_OR_CLOSE) {
                return Outcome.OVERFLOW;
            }
            if (backlog != null) {
                dropped++;
                if (!toldSlow) {
                    toldSlow = true;
                    LOG.info("TCP client {} is not reading: dropping packets for it while its connection is full", peer);
                }
                onDrop.run();
                return Outcome.DROPPED;
            }
            int len = bytes.remaining();
            if (len == 0) {
                return Outcome.TAKEN;
            }
            MemorySegment all = MemorySegment.ofBuffer(bytes);
            long sent = 0;
            while (sent < len) {
                long n = SocketFd.sendNow(fd, sent == 0 ? all : all.asSlice(sent), len - sent, errno);
                if (n >= 0) {
                    sent += n;
                    continue;
                }
                int e = Libc.errno(errno);
                if (e == SocketFd.EINTR) {
                    continue;
                }
                if (e == SocketFd.EAGAIN) {
                    break;
                }
                // EPIPE, ECONNRESET: the client has gone; its reader sees the end too.
                LOG.debug("TCP client {}: send failed, errno {}", peer, e);
                closeLocked();
                return Outcome.CLOSED;
            }
            if (sent < len) {
                ByteBuffer rest = ByteBuffer.allocate((int) (len - sent));
                rest.put(bytes.duplicate().position(bytes.position() + (int) sent)).flip();
                backlog = rest;
                congested = true;
                Thread.ofVirtual().name("tcp-backlog").start(() -> drain(rest));
            }
            return Outcome.TAKEN;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the client to take {@code rest} and then the reliable writes kept meanwhile (this virtual thread
     * only), then lets writes through again.
     */
    private void drain(ByteBuffer rest) {
        ByteBuffer next = rest;
        while (next != null) {
            try {
                while (next.hasRemaining()) {
                    channel.write(next);
                }
            } catch (IOException e) {
                close();
                return;
            }
            lock.lock();
            try {
                next = kept.poll();
                if (next == null) {
                    backlog = null;
                    congested = closed;
                } else {
                    keptBytes -= next.remaining();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
    }

    private void closeLocked() {
        if (closed) {
            return;
        }
        closed = true;
        congested = true;
        kept.clear();
        keptBytes = 0;
        if (!ownsDescriptor) {
            // The channel's own number, open until our owner closes the channel after this returns.
            SocketFd.shutdown(fd);
            return;
        }
        Libc.close(fd);
        try {
            // Also ends a drain thread waiting in write.
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
