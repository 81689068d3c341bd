package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.ffm.Libc;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A TCP connection's socket as a file descriptor of our own, for the calls the JDK has no public form of: a
 * {@code send} and a {@code recv} that never wait, {@code MSG_DONTWAIT} (send(2), recv(2)), whatever the channel's
 * blocking mode, and a descriptor to wait on with {@link Epoll}. Linux only, through the FFM API like the TUN device.
 *
 * <p>The channel's descriptor number comes from the JDK's {@code sun.nio.ch.SelChImpl#getFDVal}, which needs
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (set in p2sgw.jar's manifest and the test JVMs).
 *
 * <p>A number used after the JDK closed it could reach another file the kernel gave it to. Two ways keep that from
 * happening. A connection the core reads ({@link TcpConnection}) uses the channel's own number ({@link #descriptorOf}):
 * one descriptor per connection (issue 13: a duplicate for the reader and one for the writer made three, and 7,000
 * stalled connections used 20,000 descriptors), and the channel is closed only by its reading thread, after that
 * thread left epoll and after the writer, under its lock, stopped sending ({@link TcpConnection#finish}); nothing
 * else closes it (no thread blocked in the channel's I/O is ever interrupted, which would close it too). A writer on
 * its own ({@link NonBlockingStreamWriter#of}) has no such owner and uses a duplicate ({@link #duplicate}) it closes itself.
 */
final class SocketFd {
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    /** shutdown(2): both directions. */
    static final int SHUT_RDWR = 2;
    /** send(2) flags: return EAGAIN instead of waiting; no SIGPIPE when the client has gone (EPIPE instead). */
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    private static final int F_DUPFD_CLOEXEC = 1030;

    // A "critical" downcall may be handed a heap segment (no copy into native memory): allowed because this send
    // never waits (MSG_DONTWAIT).
    private static final MethodHandle SEND = Libc.handle("send",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT), Libc.CAPTURE_ERRNO, Linker.Option.critical(true));
    // recv never waits either (MSG_DONTWAIT), so it too may write straight into a heap segment.
    private static final MethodHandle RECV = Libc.handle("recv",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT), Libc.CAPTURE_ERRNO, Linker.Option.critical(true));
    private static final MethodHandle SHUTDOWN = Libc.handle("shutdown",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    // fcntl(int fd, int cmd, ...): the third argument is variadic.
    private static final MethodHandle FCNTL = Libc.handle("fcntl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));

    /** {@code SelChImpl#getFDVal}, or empty with the reason when this JVM does not export it to us. */
    private static final Optional<Method> GET_FD_VAL;
    static final Optional<String> UNAVAILABLE_BECAUSE;

    static {
        Method m = null;
        String why = null;
        try {
            m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            if (!Object.class.getModule().isExported("sun.nio.ch", SocketFd.class.getModule())) {
                why = "java.base does not export sun.nio.ch to p2sgw (start java with --add-exports java.base/sun.nio.ch=ALL-UNNAMED)";
                m = null;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = "sun.nio.ch.SelChImpl#getFDVal not found in this JDK: " + e;
        }
        GET_FD_VAL = Optional.ofNullable(m);
        UNAVAILABLE_BECAUSE = Optional.ofNullable(why);
    }

    private SocketFd() {
    }

    /** A new descriptor for the channel's socket (close-on-exec), or empty when the JVM keeps the number from us. */
    static OptionalInt duplicate(SocketChannel channel) {
        OptionalInt fd = descriptorOf(channel);
        if (fd.isEmpty()) {
            return fd;
        }
        try {
            int dup = (int) FCNTL.invokeExact(fd.getAsInt(), F_DUPFD_CLOEXEC, 0);
            return dup < 0 ? OptionalInt.empty() : OptionalInt.of(dup);
        } catch (Throwable t) {
            return OptionalInt.empty();
        }
    }

    /**
     * The channel's own descriptor number, not a duplicate: usable only while the channel is open, and only by code
     * that makes sure the channel is not closed meanwhile (see the class comment). Empty when the JVM keeps it from us.
     */
    static OptionalInt descriptorOf(SocketChannel channel) {
        if (GET_FD_VAL.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int fd = (int) GET_FD_VAL.get().invoke(channel);
            return fd < 0 ? OptionalInt.empty() : OptionalInt.of(fd);
        } catch (Throwable t) {
            return OptionalInt.empty();
        }
    }

    /** recv(fd, buf, len, MSG_DONTWAIT): bytes received, 0 at end of stream, or -1 with the errno in {@code errno}. */
    static long receiveNow(int fd, MemorySegment buf, long len, MemorySegment errno) {
        try {
            return (long) RECV.invokeExact(errno, fd, buf, len, MSG_DONTWAIT);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
    }

    /**
     * shutdown(fd, SHUT_RDWR): the client gets its FIN now, whatever other descriptors of the socket stay open, and a
     * reader waiting on it wakes up to end of stream.
     */
    static void shutdown(int fd) {
        try {
            int ignored = (int) SHUTDOWN.invokeExact(fd, SHUT_RDWR);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
    }

    /** send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL): bytes sent, or -1 with the errno in {@code errno}. */
    static long sendNow(int fd, MemorySegment buf, long len, MemorySegment errno) {
        try {
            return (long) SEND.invokeExact(errno, fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
    }
}
