package io.p2sgw.dataplane.tun;

import io.p2sgw.dataplane.ffm.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Linux TUN device opened through the FFM API (no JNI, no helper binary): {@code open("/dev/net/tun")},
 * {@code ioctl(TUNSETIFF)} with {@code IFF_TUN | IFF_NO_PI} (linux/if_tun.h, Documentation/networking/tuntap.rst),
 * then {@code read}/{@code write} of whole IP packets on a non-blocking descriptor, with {@code poll} only when
 * the queue is empty (a busy reader makes one system call per packet, not two). errno is captured with
 * {@code Linker.Option.captureCallState("errno")} right after each call.
 *
 * <p>One reader thread calls {@link #read}; any thread may call {@link #write} (the kernel writes each
 * packet atomically).
 */
public final class LinuxTun implements TunDevice {
    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EACCES = 13;
    static final int EAGAIN = 11;

    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_NONBLOCK = 0x800;
    /** _IOW('T', 202, int) from linux/if_tun.h. */
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    /** IFNAMSIZ: interface names are at most 15 bytes plus the NUL. */
    public static final int IFNAMSIZ = 16;
    /** sizeof(struct ifreq) on Linux x86-64 and aarch64. */
    private static final int IFREQ_SIZE = 40;
    private static final short POLLIN = 0x0001;
    /** The largest packet a TUN with MTU up to 65535 can deliver. */
    public static final int MAX_PACKET = 65_535;

    private static final StructLayout CAPTURE = Libc.ERRNO_SLOT;
    private static final Linker.Option CCS = Libc.CAPTURE_ERRNO;

    private static final MethodHandle OPEN = Libc.handle("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), CCS);
    // ioctl(int fd, unsigned long request, ...): the third argument is variadic.
    private static final MethodHandle IOCTL = Libc.handle("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            CCS, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = Libc.handle("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), CCS);
    // A "critical" downcall may be handed a heap segment (no copy into native memory first): allowed because a
    // write to a non-blocking TUN never waits (the kernel queues or drops the packet).
    private static final MethodHandle WRITE = Libc.handle("write",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), CCS,
            Linker.Option.critical(true));
    private static final MethodHandle POLL = Libc.handle("poll",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), CCS);

    private final String name;
    private final int fd;
    private volatile boolean closed;
    /** The reader's native buffer, reused for every packet (one reader thread). */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment readBuffer = arena.allocate(MAX_PACKET);
    private final MemorySegment pollFd = arena.allocate(8);
    private final MemorySegment readErrno = arena.allocate(CAPTURE);
    /** The reader's last direct buffer and a segment over all of it (reader thread only). */
    private ByteBuffer segmentBuffer;
    private MemorySegment segmentOfBuffer;
    /** The writers' errno slot, guarded by {@link #writeLock}. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final MemorySegment writeErrno = arena.allocate(CAPTURE);

    private LinuxTun(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /**
     * Creates (or attaches to) the TUN interface {@code name}.
     *
     * @throws TunException naming CAP_NET_ADMIN when the kernel says EPERM
     */
    public static LinuxTun open(String name) throws TunException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be 1.." + (IFNAMSIZ - 1) + " bytes: " + name);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = a.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(errno, a.allocateFrom("/dev/net/tun"), O_RDWR | O_CLOEXEC | O_NONBLOCK);
            if (fd < 0) {
                int e = Libc.errno(errno);
                throw new TunException("open(/dev/net/tun) failed: " + describe(e), e);
            }
            MemorySegment ifr = a.allocate(IFREQ_SIZE);
            MemorySegment.copy(nameBytes, 0, ifr, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
            ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TUN | IFF_NO_PI));
            int rc = (int) IOCTL.invokeExact(errno, fd, TUNSETIFF, ifr);
            if (rc < 0) {
                int e = Libc.errno(errno);
                Libc.close(fd);
                throw new TunException("ioctl(TUNSETIFF, " + name + ") failed: " + describe(e), e);
            }
            return new LinuxTun(name, fd);
        } catch (TunException | IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
    }

    static String describe(int errno) {
        return switch (errno) {
            case EPERM, EACCES -> "errno " + errno + " (operation not permitted: creating a TUN device needs "
                    + "CAP_NET_ADMIN in the network namespace; run as root or grant CAP_NET_ADMIN)";
            case 2 -> "errno 2 (no such file: /dev/net/tun is missing; load the tun module)";
            case 16 -> "errno 16 (device busy: the interface exists and is in use)";
            default -> "errno " + errno;
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int read(ByteBuffer buffer, int timeoutMillis) throws IOException {
        if (closed) {
            throw new IOException("TUN " + name + " is closed");
        }
        try {
            int n = readNow(buffer);
            if (n != 0 || timeoutMillis <= 0) {
                return Math.max(n, 0);
            }
            // The queue is empty: wait for the next packet, then read it.
            pollFd.set(ValueLayout.JAVA_INT, 0, fd);
            pollFd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            int ready = (int) POLL.invokeExact(readErrno, pollFd, 1L, timeoutMillis);
            if (ready < 0) {
                int e = Libc.errno(readErrno);
                if (e == EINTR) {
                    return 0;
                }
                throw new TunException("poll(" + name + ") failed: " + describe(e), e);
            }
            return ready == 0 ? 0 : Math.max(readNow(buffer), 0);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
    }

    /** One non-blocking read: the packet's length, or 0 when none is queued. */
    private int readNow(ByteBuffer buffer) throws Throwable {
        // A direct buffer is read into in place (its segment is made once per buffer); a heap one through the
        // reader's native buffer.
        boolean direct = buffer.isDirect();
        MemorySegment target;
        if (direct) {
            if (buffer != segmentBuffer) {
                segmentBuffer = buffer;
                segmentOfBuffer = MemorySegment.ofBuffer(buffer.duplicate().clear());
            }
            target = segmentOfBuffer;
        } else {
            target = readBuffer;
        }
        long capacity = Math.min(target.byteSize(), MAX_PACKET);
        long n = (long) READ.invokeExact(readErrno, fd, target, capacity);
        if (n < 0) {
            int e = Libc.errno(readErrno);
            if (e == EINTR || e == EAGAIN) {
                return 0;
            }
            throw new TunException("read(" + name + ") failed: " + describe(e), e);
        }
        int len = (int) Math.min(n, buffer.capacity());
        buffer.clear();
        if (!direct) {
            MemorySegment.copy(readBuffer, 0, MemorySegment.ofBuffer(buffer), 0, len);
        }
        buffer.limit(len);
        return len;
    }

    @Override
    public void write(ByteBuffer packet) throws IOException {
        if (closed) {
            throw new IOException("TUN " + name + " is closed");
        }
        int len = packet.remaining();
        if (len > MAX_PACKET) {
            throw new TunException("write(" + name + "): packet of " + len + " bytes exceeds " + MAX_PACKET, 0);
        }
        // Sessions write from many threads; one lock around a preallocated errno slot (the kernel serializes
        // writes to one TUN queue anyway).
        writeLock.lock();
        try {
            // Direct or heap, the packet is passed as it is (critical downcall): no copy.
            MemorySegment src = MemorySegment.ofBuffer(packet);
            long n = (long) WRITE.invokeExact(writeErrno, fd, src, (long) len);
            if (n < 0) {
                int e = Libc.errno(writeErrno);
                throw new TunException("write(" + name + ") failed: " + describe(e), e);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Libc.close(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
        // The owner stops the reader first (PacketRouter joins it); the native buffers belong to an
        // automatic arena and are freed by the GC once this object is gone.
    }
}
