package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.ffm.Libc;
import io.p2sgw.dataplane.spi.DatagramPeer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that reads every {@link NativeUdpSocket} of the gateway (OpenVPN's 1194, IKE's 500 and 4500): it
 * waits on all of them with one epoll(7) instance and takes up to {@link #BATCH} datagrams per {@code recvmmsg(2)}
 * call into native memory it owns. Each datagram is copied into one reused heap buffer and handed to the socket's
 * receiver with the socket's {@link DatagramPeer} for its source; nothing is allocated per datagram once the peer is
 * known. When a batch is handed over, what the receivers queued in reply is sent ({@code sendmmsg(2)}).
 *
 * <p>One thread, not one per socket or per CPU: a machine of the lab has two CPUs, decrypting is the work and the
 * protocols move handshakes off this thread. Fairness: a socket gets at most {@link #ROUNDS_PER_WAKE} batches per
 * wake-up (epoll is level-triggered; the rest is read after the other ready sockets had their turn).
 */
final class NativeDatagramReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NativeDatagramReader.class);

    /** Datagrams per recvmmsg. */
    static final int BATCH = 32;
    /** Batches per socket per wake-up before the other ready sockets' turn. */
    static final int ROUNDS_PER_WAKE = 4;
    /** Receive slot per datagram: any UDP payload fits whole. */
    static final int SLOT = 64 * 1024;
    /** Ready sockets per epoll_wait. */
    static final int MAX_EVENTS = 16;
    /** How long a wait lasts at most, so that the thread notices {@link #close}. */
    static final int WAIT_MILLIS = 500;

    private final Epoll epoll = new Epoll(MAX_EVENTS);
    private final MessageBatch batch = new MessageBatch(BATCH, (long) BATCH * SLOT);
    private final MemorySegment errno = Arena.ofAuto().allocate(Libc.ERRNO_SLOT);
    private final byte[] bytes = new byte[SLOT];
    private final ByteBuffer buffer = ByteBuffer.wrap(bytes);
    /** Sockets by descriptor; replaced whole (under this object's lock) when one is added or removed. */
    private volatile NativeUdpSocket[] byFd = new NativeUdpSocket[64];
    private Thread thread;
    private volatile boolean stopping;
    /** Set (under this object's lock) once the epoll descriptor is closed: no epoll_ctl on a number reused since. */
    private boolean released;

    /** Starts reading {@code s}. */
    synchronized void add(NativeUdpSocket s) {
        if (stopping) {
            throw new IllegalStateException("the datagram reader is closed");
        }
        NativeUdpSocket[] t = Arrays.copyOf(byFd, Math.max(byFd.length, s.fd + 1));
        t[s.fd] = s;
        byFd = t;
        int err = epoll.add(s.fd);
        if (err != 0) {
            t = byFd.clone();
            t[s.fd] = null;
            byFd = t;
            throw new IllegalStateException(new IOException("epoll_ctl failed for " + s.local + ", errno " + err));
        }
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("udp-reader").start(this::loop);
            LOG.info("UDP sockets are read by one recvmmsg reader thread");
        }
    }

    /** Stops reading {@code s}; its descriptor is still open (the socket closes it next). */
    synchronized void remove(NativeUdpSocket s) {
        NativeUdpSocket[] t = byFd;
        if (s.fd < t.length && t[s.fd] == s) {
            if (!released) {
                epoll.remove(s.fd);
            }
            t = t.clone();
            t[s.fd] = null;
            byFd = t;
        }
    }

    private void loop() {
        try {
            while (!stopping) {
                int n = epoll.await(WAIT_MILLIS);
                if (n < 0) {
                    LOG.error("epoll_wait failed; the UDP reader stops");
                    break;
                }
                for (int i = 0; i < n; i++) {
                    int fd = epoll.readyFd(i);
                    NativeUdpSocket[] t = byFd;
                    NativeUdpSocket s = fd >= 0 && fd < t.length ? t[fd] : null;
                    if (s != null) {
                        drain(s);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("the UDP reader failed and stops", e);
        } finally {
            synchronized (this) {
                stopping = true;
                release();
            }
        }
    }

    /** Reads up to {@link #ROUNDS_PER_WAKE} batches of {@code s} and hands them over. */
    private void drain(NativeUdpSocket s) {
        for (int round = 0; round < ROUNDS_PER_WAKE; round++) {
            batch.prepareReceive();
            int got = s.receive(batch, errno);
            if (got < 0) {
                int e = Libc.errno(errno);
                if (e == NativeUdpSocket.EINTR) {
                    continue;
                }
                if (e != NativeUdpSocket.EAGAIN) {
                    // An ICMP error queued on the socket (ECONNREFUSED from an earlier send) is reported once by a
                    // receive call; the next one goes on.
                    LOG.debug("{}: recvmmsg on {} failed, errno {}", s.service, s.local, e);
                    continue;
                }
                return;
            }
            for (int j = 0; j < got; j++) {
                if (batch.receivedBroken(j)) {
                    continue;
                }
                int len = batch.receivedLength(j);
                MemorySegment.copy(batch.data, ValueLayout.JAVA_BYTE, batch.slotOffset(j), bytes, 0, len);
                buffer.clear().limit(len);
                s.deliver(buffer, s.peers.peer(batch.sourceAddress(j), batch.sourcePort(j)));
            }
            s.flush();
            if (got < BATCH) {
                return; // the socket is empty now; the next wait tells when there is more
            }
        }
    }

    private void release() {
        if (!released) {
            released = true;
            epoll.close();
            batch.close();
        }
    }

    /** Stops the thread (the sockets are closed by their owners). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            stopping = true;
            t = thread;
            if (t == null) {
                release();
                return;
            }
        }
        if (t != Thread.currentThread()) {
            try {
                t.join(2L * WAIT_MILLIS + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
