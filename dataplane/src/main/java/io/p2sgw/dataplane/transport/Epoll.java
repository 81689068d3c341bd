package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.ffm.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * One epoll instance (epoll(7)) through the FFM API: the descriptors of many TCP connections, and a wait that
 * returns those with bytes to read. One reader thread owns one instance and its event array; {@link #add} and
 * {@link #remove} may come from any thread (the kernel serialises epoll_ctl).
 *
 * <p>Each registration carries the descriptor number as its user data, so a ready event names its descriptor.
 * Level-triggered: a descriptor the reader left with unread bytes is reported again by the next wait, which is what
 * lets the reader cap its work per connection per wake-up.
 */
final class Epoll implements AutoCloseable {
    static final int EPOLLIN = 0x001;
    static final int EPOLLRDHUP = 0x2000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CLOEXEC = 0x80000;

    /**
     * {@code struct epoll_event} is {@code { uint32_t events; uint64_t data; }}, declared packed on x86-64 (12 bytes,
     * data at offset 4; sys/epoll.h {@code __EPOLL_PACKED}) and naturally aligned elsewhere (16 bytes, data at 8).
     */
    private static final boolean PACKED = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
        case "amd64", "x86_64" -> true;
        default -> false;
    };
    static final long EVENT_SIZE = PACKED ? 12 : 16;
    private static final long DATA_OFFSET = PACKED ? 4 : 8;

    private static final MethodHandle CREATE = Libc.handle("epoll_create1",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Libc.CAPTURE_ERRNO);
    private static final MethodHandle CTL = Libc.handle("epoll_ctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS), Libc.CAPTURE_ERRNO);
    // Blocks (up to its timeout): an ordinary downcall, so the JVM is not held up while it waits.
    private static final MethodHandle WAIT = Libc.handle("epoll_wait",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT), Libc.CAPTURE_ERRNO);

    private final Arena arena = Arena.ofShared();
    private final int epfd;
    private final int maxEvents;
    private final MemorySegment events;
    private final MemorySegment waitErrno;

    /** @throws IllegalStateException when the kernel refuses a new epoll instance (the message has the errno) */
    Epoll(int maxEvents) {
        this.maxEvents = maxEvents;
        this.events = arena.allocate(EVENT_SIZE * maxEvents, 8);
        this.waitErrno = arena.allocate(Libc.ERRNO_SLOT);
        MemorySegment errno = arena.allocate(Libc.ERRNO_SLOT);
        int fd;
        try {
            fd = (int) CREATE.invokeExact(errno, EPOLL_CLOEXEC);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
        if (fd < 0) {
            arena.close();
            throw new IllegalStateException("epoll_create1 failed, errno " + Libc.errno(errno));
        }
        this.epfd = fd;
    }

    /** Watches {@code fd} for bytes to read and for the peer's end; returns the errno, or 0. */
    int add(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ev = a.allocate(EVENT_SIZE, 8);
            ev.set(ValueLayout.JAVA_INT_UNALIGNED, 0, EPOLLIN | EPOLLRDHUP);
            ev.set(ValueLayout.JAVA_LONG_UNALIGNED, DATA_OFFSET, fd);
            return ctl(EPOLL_CTL_ADD, fd, ev, a.allocate(Libc.ERRNO_SLOT));
        }
    }

    /**
     * Stops watching {@code fd}. Must come before the descriptor is closed: epoll keys on the open socket, which another
     * descriptor of it (the JDK may hold one for a moment while it closes a channel that a virtual thread is writing)
     * can keep alive after the number is closed, and epoll would go on reporting it under a number now free for reuse.
     */
    void remove(int fd) {
        try (Arena a = Arena.ofConfined()) {
            ctl(EPOLL_CTL_DEL, fd, MemorySegment.NULL, a.allocate(Libc.ERRNO_SLOT));
        }
    }

    private int ctl(int op, int fd, MemorySegment ev, MemorySegment errno) {
        try {
            int r = (int) CTL.invokeExact(errno, epfd, op, fd, ev);
            return r == 0 ? 0 : Libc.errno(errno);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for ready descriptors; returns how many ({@link #readyFd} names them), 0 on
     * timeout or an interrupted wait (EINTR), -1 on any other error.
     */
    int await(int timeoutMillis) {
        int n;
        try {
            n = (int) WAIT.invokeExact(waitErrno, epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
        if (n < 0) {
            return Libc.errno(waitErrno) == SocketFd.EINTR ? 0 : -1;
        }
        return n;
    }

    /** The descriptor of ready event {@code i} of the last {@link #await}. */
    int readyFd(int i) {
        return (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
    }

    /** Closes the instance; only its owner thread calls this, after its last {@link #await}. */
    @Override
    public void close() {
        Libc.close(epfd);
        arena.close();
    }
}
