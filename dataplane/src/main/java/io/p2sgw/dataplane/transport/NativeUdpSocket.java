package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.ffm.Libc;
import io.p2sgw.dataplane.spi.DatagramPeer;
import io.p2sgw.dataplane.spi.DatagramReceiver;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A UDP socket of our own through the FFM API (socket(2), bind(2)), read by the {@link NativeDatagramReader} with
 * {@code recvmmsg(2)} and written with {@code sendmmsg(2)}: many datagrams per system call each way (ip(7), udp(7)).
 * The descriptor is ours alone, so closing it frees the port at once.
 *
 * <p>Sends wait for room in the socket's send buffer, as the {@code DatagramChannel} before it did: the kernel's
 * buffer drains at the interface's rate, and dropping there instead would lose packets the old path delivered.
 */
final class NativeUdpSocket extends UdpSocket {
    /** Datagrams per sendmmsg: a TUN burst to many clients (TunnelEndpoint.MAX_PACKETS_PER_FLUSH per client). */
    static final int SEND_BATCH = 64;
    /** Bytes a send batch holds: 64 full-size packets, and always one largest datagram. */
    static final long SEND_BYTES = 256 * 1024;

    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    private static final int EADDRINUSE = 98;
    /** recv flag: return EAGAIN instead of waiting (the reader asks only sockets epoll said are readable). */
    static final int MSG_DONTWAIT = 0x40;

    /** The downcalls, looked up on first use; a JVM or libc without them makes {@link #unavailableBecause} say so. */
    private static final class Calls {
        static final MethodHandle SOCKET = Libc.handle("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Libc.CAPTURE_ERRNO);
        static final MethodHandle BIND = Libc.handle("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Libc.CAPTURE_ERRNO);
        static final MethodHandle GETSOCKNAME = Libc.handle("getsockname", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS), Libc.CAPTURE_ERRNO);
        // int recvmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags, struct timespec *timeout)
        static final MethodHandle RECVMMSG = Libc.handle("recvmmsg", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
                Libc.CAPTURE_ERRNO);
        // int sendmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags)
        static final MethodHandle SENDMMSG = Libc.handle("sendmmsg", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Libc.CAPTURE_ERRNO);
    }

    /** Why the FFM path cannot be used here, or empty when it can. */
    static Optional<String> unavailableBecause() {
        if (!MessageBatch.layoutKnown()) {
            return Optional.of("not a 64-bit platform: struct mmsghdr layout unknown");
        }
        try {
            Class.forName(Calls.class.getName(), true, NativeUdpSocket.class.getClassLoader());
            return Optional.empty();
        } catch (Throwable t) {
            return Optional.of(String.valueOf(t.getCause() != null ? t.getCause() : t));
        }
    }

    final int fd;
    private final NativeDatagramReader reader;
    /** Held by the reader around each recvmmsg, and by close, so a descriptor is never read after it was closed. */
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final MessageBatch sendBatch = new MessageBatch(SEND_BATCH, SEND_BYTES);
    private final MemorySegment sendErrno = Arena.ofAuto().allocate(Libc.ERRNO_SLOT);
    /** Datagrams queued and not yet sent; read without the lock by {@link #flush} to skip an empty batch. */
    private volatile int queued;
    private final AtomicLong sendFailures = new AtomicLong();
    /** sendmmsg calls made (tests check that a burst to many peers leaves in one). */
    private final AtomicLong sendCalls = new AtomicLong();
    private volatile boolean closed;

    private NativeUdpSocket(int id, int fd, InetSocketAddress local, String service, NativeDatagramReader reader) {
        super(id, local, service);
        this.fd = fd;
        this.reader = reader;
    }

    /** A socket bound to {@code address:port} (port 0: the kernel picks one). */
    static NativeUdpSocket bind(int id, Inet4Address address, int port, String service, NativeDatagramReader reader)
            throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = a.allocate(Libc.ERRNO_SLOT);
            int fd = (int) Calls.SOCKET.invokeExact(errno, (int) MessageBatch.AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("socket(AF_INET, SOCK_DGRAM) failed, errno " + Libc.errno(errno));
            }
            MemorySegment sa = a.allocate(MessageBatch.SOCKADDR_IN_SIZE, 8);
            MessageBatch.writeSockaddr(sa, ipv4(address), port);
            int r = (int) Calls.BIND.invokeExact(errno, fd, sa, (int) MessageBatch.SOCKADDR_IN_SIZE);
            if (r != 0) {
                int e = Libc.errno(errno);
                Libc.close(fd);
                String where = "UDP " + address.getHostAddress() + ":" + port;
                throw e == EADDRINUSE ? new BindException("Address already in use: " + where)
                        : new IOException("bind " + where + " failed, errno " + e);
            }
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, (int) MessageBatch.SOCKADDR_IN_SIZE);
            r = (int) Calls.GETSOCKNAME.invokeExact(errno, fd, sa, len);
            if (r != 0) {
                Libc.close(fd);
                throw new IOException("getsockname failed, errno " + Libc.errno(errno));
            }
            InetSocketAddress local = new InetSocketAddress(address, MessageBatch.readSockaddrPort(sa));
            return new NativeUdpSocket(id, fd, local, service, reader);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
    }

    static int ipv4(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    @Override
    void startReading(DatagramReceiver r) {
        receiver = r;
        reader.add(this);
    }

    /**
     * recvmmsg into {@code batch} without waiting (the reader thread): messages received, 0 when the socket is closed,
     * or -1 with the errno in {@code errno}.
     */
    int receive(MessageBatch batch, MemorySegment errno) {
        receiveLock.lock();
        try {
            if (closed) {
                return 0;
            }
            return (int) Calls.RECVMMSG.invokeExact(errno, fd, batch.headers, batch.capacity(), MSG_DONTWAIT,
                    MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    boolean send(ByteBuffer datagram, DatagramPeer to) {
        sendLock.lock();
        try {
            if (!add(datagram, to)) {
                return false;
            }
            return flushLocked() == 0;
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    boolean queue(ByteBuffer datagram, DatagramPeer to) {
        sendLock.lock();
        try {
            return add(datagram, to);
        } finally {
            sendLock.unlock();
        }
    }

    /** Copies one datagram into the batch, sending the batch first when it is full. Under the send lock. */
    private boolean add(ByteBuffer datagram, DatagramPeer to) {
        int len = datagram.remaining();
        if (closed || len > MAX_PAYLOAD) {
            return false;
        }
        if (!sendBatch.fits(len)) {
            flushLocked();
        }
        if (datagram.hasArray()) {
            sendBatch.add(datagram.array(), datagram.arrayOffset() + datagram.position(), len, to.ipv4(), to.port());
        } else {
            sendBatch.add(MemorySegment.ofBuffer(datagram), len, to.ipv4(), to.port());
        }
        queued = sendBatch.count();
        return true;
    }

    @Override
    void flush() {
        if (queued == 0) {
            return;
        }
        sendLock.lock();
        try {
            flushLocked();
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends the batch with as few sendmmsg calls as the kernel allows; returns how many datagrams were lost. A
     * datagram the kernel refuses (no route, a firewall's EPERM) is skipped and the rest still go.
     */
    private int flushLocked() {
        int count = sendBatch.count();
        int first = 0;
        int lost = 0;
        while (!closed && first < count) {
            int n;
            sendCalls.incrementAndGet();
            try {
                n = (int) Calls.SENDMMSG.invokeExact(sendErrno, fd, sendBatch.headersFrom(first), count - first, 0);
            } catch (Throwable t) {
                throw new IllegalStateException("FFM call failed", t);
            }
            if (n > 0) {
                first += n;
                continue;
            }
            int e = Libc.errno(sendErrno);
            if (e == EINTR) {
                continue;
            }
            if (e == EAGAIN) {
                lost += count - first;
                break;
            }
            lost++;
            first++;
        }
        if (closed) {
            lost += count - first;
        }
        sendBatch.clear();
        queued = 0;
        if (lost > 0) {
            sendFailures.addAndGet(lost);
        }
        return lost;
    }

    long sendCalls() {
        return sendCalls.get();
    }

    /** Datagrams the kernel did not take. */
    long sendFailures() {
        return sendFailures.get();
    }

    @Override
    public void close() {
        sendLock.lock();
        receiveLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // Out of the epoll set before the descriptor is closed (Epoll#remove says why).
            reader.remove(this);
            Libc.close(fd);
            sendBatch.close();
        } finally {
            receiveLock.unlock();
            sendLock.unlock();
        }
    }
}
