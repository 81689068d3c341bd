package io.p2sgw.dataplane.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library as the data plane calls it through the FFM API (no JNI, DESIGN.md): downcall handles for libc
 * functions, the errno capture slot, and {@code close}. The TUN device and the TCP writer's socket use it.
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();

    /** Layout of the slot errno is captured into right after a call ({@code Linker.Option.captureCallState}). */
    public static final StructLayout ERRNO_SLOT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_SLOT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** Pass with a handle whose calls should capture errno; the call then takes the slot as its first argument. */
    public static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Libc() {
    }

    /** A downcall handle for the libc function {@code name}; throws when this libc has no such symbol. */
    public static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no " + name)), descriptor, options);
    }

    /** The errno a call captured into {@code slot}. */
    public static int errno(MemorySegment slot) {
        return (int) ERRNO.get(slot, 0L);
    }

    /** close(2); the result is ignored (nothing to do about a failed close). */
    public static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call failed", t);
        }
    }
}
