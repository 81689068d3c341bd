package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.ffm.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every claimed TCP connection and pushes its bytes to the protocol's receiver.
 *
 * <p>A few platform threads ({@link #DEFAULT_THREADS}), each waiting on its share of the connections with epoll(7)
 * and reading with {@code recv(MSG_DONTWAIT)} through FFM into one buffer per thread. Before, a virtual thread per
 * connection parked on every read that found the socket empty and was woken through the JDK's poller thread and then
 * a carrier thread. In an A/B of the two (bench/run, OpenVPN-TCP, README "Performance") these readers cost less server
 * CPU per handshake (about 4.2 against 5.1 ms) and about 7% less per Mbit/s client to VM, at the same throughput (the
 * stock client is the limit there), and an idle connection holds no thread.
 *
 * <p>Fairness: a connection gets at most {@link #READS_PER_WAKE} reads of {@link #BUFFER_SIZE} bytes per wake-up;
 * epoll is level-triggered, so the rest is read after the other ready connections had their turn.
 *
 * <p>Where the JVM does not give us the socket's descriptor (no {@code --add-exports java.base/sun.nio.ch}) or epoll
 * cannot be had, each connection is read by a virtual thread of its own, with the same receiver contract.
 */
final class StreamReaders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamReaders.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** One reader per CPU, at most four: a reader thread is busy only while its connections have bytes. */
    static final int DEFAULT_THREADS = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
    /** One read: a few dozen full-size OpenVPN packets. */
    static final int BUFFER_SIZE = 64 * 1024;
    /** Reads per connection per wake-up before the other ready connections' turn. */
    static final int READS_PER_WAKE = 4;
    /** Ready connections taken per epoll_wait. */
    static final int MAX_EVENTS = 64;
    /** How long a wait lasts at most, so that a reader notices {@link #close} without a wake-up descriptor. */
    static final int WAIT_MILLIS = 500;
    /** The virtual-thread fallback's read buffer per connection. */
    static final int FALLBACK_BUFFER_SIZE = 16 * 1024;

    private final List<Reader> readers;
    private final AtomicInteger next = new AtomicInteger();
    /** Connections read by a virtual thread each (the fallback), so that {@link #close} can end them. */
    private final Set<TcpConnection> readBlocking = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param threads epoll reader threads; 0 reads every connection on a virtual thread of its own (the fallback) */
    StreamReaders(int threads) {
        List<Reader> rs = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                rs.add(new Reader(i));
            }
        } catch (IllegalStateException | LinkageError e) {
            rs.forEach(Reader::discard); // made, never started
            rs.clear();
            warnFallback("epoll is not available: " + e);
        }
        this.readers = List.copyOf(rs);
        readers.forEach(Reader::start);
        if (!readers.isEmpty()) {
            LOG.info("TCP connections are read by {} epoll reader thread(s)", readers.size());
        }
    }

    /** Whether connections with a read descriptor go to epoll readers (false: every connection gets a virtual thread). */
    boolean epoll() {
        return !readers.isEmpty();
    }

    /**
     * Starts reading {@code c} (its receiver is set and has had the bytes read while probing). From here on its end
     * comes from the reading thread, through {@link TcpConnection#finish}.
     */
    void read(TcpConnection c) {
        if (closed) {
            c.finish("gateway shutting down");
            return;
        }
        if (c.readFd >= 0 && !readers.isEmpty()) {
            Reader r = readers.get(Math.floorMod(next.getAndIncrement(), readers.size()));
            if (r.register(c)) {
                return;
            }
        }
        if (c.readFd >= 0) {
            // Not read through epoll after all (the reader is stopping, or epoll refused the descriptor): end it.
            c.finish("cannot watch the connection");
            return;
        }
        readBlocking.add(c);
        Thread.ofVirtual().name("tcp-read").start(() -> {
            try {
                readBlocking(c);
            } finally {
                readBlocking.remove(c);
            }
        });
        if (closed) {
            c.close("gateway shutting down"); // close() ran meanwhile and may have missed it
        }
    }

    static void warnFallback(String why) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("TCP connections are read by a virtual thread each, not by the epoll readers ({})", why);
        }
    }

    private static void readBlocking(TcpConnection c) {
        ByteBuffer buf = ByteBuffer.allocate(FALLBACK_BUFFER_SIZE);
        String reason = "TCP connection closed by the client";
        try {
            while (true) {
                buf.clear();
                int n = c.channel.read(buf);
                if (n < 0) {
                    break;
                }
                if (!c.receiver().received(buf.flip())) {
                    reason = "closed by the server";
                    break;
                }
            }
        } catch (AsynchronousCloseException e) {
            reason = "closed by the server";
        } catch (IOException e) {
            reason = "TCP connection failed: " + e.getMessage();
        } catch (RuntimeException e) {
            LOG.warn("TCP connection from {}: the protocol failed on received bytes: {}", c.peer, e.toString());
            reason = "protocol error: " + e;
        } finally {
            c.finish(reason);
        }
    }

    /** Stops the readers; the connections they read end with "gateway shutting down". */
    @Override
    public void close() {
        closed = true;
        for (Reader r : readers) {
            r.stop();
        }
        for (Reader r : readers) {
            r.join();
        }
        for (TcpConnection c : readBlocking) {
            c.close("gateway shutting down"); // its thread then finishes it
        }
    }

    /** One epoll reader thread and the connections it reads, by descriptor number. */
    private final class Reader {
        private final Epoll epoll = new Epoll(MAX_EVENTS);
        private final Thread thread;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        private final MemorySegment segment = MemorySegment.ofBuffer(buffer);
        private final MemorySegment errno = Arena.ofAuto().allocate(Libc.ERRNO_SLOT);
        /** Connections by read descriptor; replaced (under this reader's lock) when a descriptor outgrows it. */
        private volatile AtomicReferenceArray<TcpConnection> byFd = new AtomicReferenceArray<>(256);
        private volatile boolean stopping;

        Reader(int index) {
            this.thread = Thread.ofPlatform().daemon().name("tcp-reader-" + index).unstarted(this::loop);
        }

        void start() {
            thread.start();
        }

        /** False when this reader is stopping or the kernel refuses the descriptor. */
        synchronized boolean register(TcpConnection c) {
            if (stopping) {
                return false; // the loop's last round (under this lock) would not see it
            }
            int fd = c.readFd;
            AtomicReferenceArray<TcpConnection> t = byFd;
            if (fd >= t.length()) {
                AtomicReferenceArray<TcpConnection> bigger = new AtomicReferenceArray<>(Math.max(fd + 1, t.length() * 2));
                for (int i = 0; i < t.length(); i++) {
                    bigger.set(i, t.get(i));
                }
                byFd = t = bigger;
            }
            t.set(fd, c);
            int err = epoll.add(fd);
            if (err != 0) {
                t.set(fd, null);
                LOG.warn("TCP connection from {}: epoll_ctl failed, errno {}", c.peer, err);
                return false;
            }
            return true;
        }

        private synchronized void forget(int fd) {
            byFd.set(fd, null);
        }

        private void loop() {
            try {
                while (!stopping) {
                    int n = epoll.await(WAIT_MILLIS);
                    if (n < 0) {
                        LOG.error("epoll_wait failed; TCP reader {} stops", thread.getName());
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        int fd = epoll.readyFd(i);
                        AtomicReferenceArray<TcpConnection> t = byFd;
                        TcpConnection c = fd >= 0 && fd < t.length() ? t.get(fd) : null;
                        if (c != null) {
                            readReady(c);
                        }
                    }
                }
            } finally {
                stopping = true;
                List<TcpConnection> left = new ArrayList<>();
                synchronized (this) {
                    AtomicReferenceArray<TcpConnection> t = byFd;
                    for (int fd = 0; fd < t.length(); fd++) {
                        TcpConnection c = t.get(fd);
                        if (c != null) {
                            left.add(c);
                        }
                    }
                }
                for (TcpConnection c : left) {
                    end(c, "gateway shutting down");
                }
                epoll.close();
            }
        }

        /** Reads what {@code c} has, up to {@link #READS_PER_WAKE} buffers, and hands it to its receiver. */
        private void readReady(TcpConnection c) {
            for (int round = 0; round < READS_PER_WAKE; round++) {
                long n = SocketFd.receiveNow(c.readFd, segment, BUFFER_SIZE, errno);
                if (n > 0) {
                    buffer.clear().limit((int) n);
                    boolean more;
                    try {
                        more = c.receiver().received(buffer);
                    } catch (RuntimeException e) {
                        LOG.warn("TCP connection from {}: the protocol failed on received bytes: {}", c.peer, e.toString());
                        end(c, "protocol error: " + e);
                        return;
                    }
                    if (!more) {
                        end(c, "closed by the server");
                        return;
                    }
                    if (n < BUFFER_SIZE) {
                        return; // the socket is empty now; the next wait tells when there is more
                    }
                    continue;
                }
                if (n == 0) {
                    end(c, "TCP connection closed by the client");
                    return;
                }
                int e = Libc.errno(errno);
                if (e == SocketFd.EINTR) {
                    continue;
                }
                if (e != SocketFd.EAGAIN) {
                    end(c, "TCP connection failed, errno " + e);
                }
                return;
            }
        }

        private void end(TcpConnection c, String reason) {
            // Out of the epoll set before the descriptor is closed (Epoll#remove says why).
            epoll.remove(c.readFd);
            forget(c.readFd);
            c.finish(reason);
        }

        void stop() {
            stopping = true;
        }

        void discard() {
            epoll.close();
        }

        void join() {
            if (thread.isAlive()) {
                try {
                    thread.join(2 * WAIT_MILLIS + 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
