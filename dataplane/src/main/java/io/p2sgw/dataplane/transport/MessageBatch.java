package io.p2sgw.dataplane.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The native memory of one {@code recvmmsg(2)}/{@code sendmmsg(2)} call: an array of {@code struct mmsghdr}, one
 * {@code struct iovec} and one {@code struct sockaddr_in} per message, and the bytes. Allocated once and reused for
 * every call, so a batch costs no allocation. Layouts are those of Linux on 64-bit machines (x86-64, aarch64):
 * {@code struct msghdr} is 56 bytes (name at 0, namelen at 8, iov at 16, iovlen at 24, control at 32, controllen at
 * 40, flags at 48), {@code struct mmsghdr} adds {@code msg_len} at 56 and is 64 bytes; {@code sockaddr_in} is family
 * (host order), port and address (network order), 16 bytes (ip(7)).
 *
 * <p>Not thread-safe: a receive batch belongs to the reader thread, a send batch is used under its socket's lock.
 */
final class MessageBatch implements AutoCloseable {
    static final long MMSGHDR_SIZE = 64;
    private static final long NAME = 0;
    private static final long NAMELEN = 8;
    private static final long IOV = 16;
    private static final long IOVLEN = 24;
    private static final long CONTROL = 32;
    private static final long CONTROLLEN = 40;
    private static final long FLAGS = 48;
    private static final long MSG_LEN = 56;
    private static final long IOVEC_SIZE = 16;
    static final long SOCKADDR_IN_SIZE = 16;
    static final short AF_INET = 2;
    /** msg_flags bit: the datagram was longer than the buffer (recvmsg(2)). */
    private static final int MSG_TRUNC = 0x20;
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Whether this machine's C layouts are the ones above (a 64-bit pointer). */
    static boolean layoutKnown() {
        return ValueLayout.ADDRESS.byteSize() == 8;
    }

    private final Arena arena = Arena.ofShared();
    private final int capacity;
    private final long dataCapacity;
    final MemorySegment headers;
    private final MemorySegment iovecs;
    private final MemorySegment names;
    final MemorySegment data;
    /** Send batch: messages added and bytes used since the last {@link #clear}. */
    private int count;
    private long used;

    MessageBatch(int capacity, long dataCapacity) {
        this.capacity = capacity;
        this.dataCapacity = dataCapacity;
        this.headers = arena.allocate(MMSGHDR_SIZE * capacity, 8);
        this.iovecs = arena.allocate(IOVEC_SIZE * capacity, 8);
        this.names = arena.allocate(SOCKADDR_IN_SIZE * capacity, 8);
        this.data = arena.allocate(dataCapacity, 8);
        for (int i = 0; i < capacity; i++) {
            long h = i * MMSGHDR_SIZE;
            headers.set(ValueLayout.ADDRESS, h + NAME, names.asSlice(i * SOCKADDR_IN_SIZE, SOCKADDR_IN_SIZE));
            headers.set(ValueLayout.JAVA_INT, h + NAMELEN, (int) SOCKADDR_IN_SIZE);
            headers.set(ValueLayout.ADDRESS, h + IOV, iovecs.asSlice(i * IOVEC_SIZE, IOVEC_SIZE));
            headers.set(ValueLayout.JAVA_LONG, h + IOVLEN, 1);
            headers.set(ValueLayout.ADDRESS, h + CONTROL, MemorySegment.NULL);
            headers.set(ValueLayout.JAVA_LONG, h + CONTROLLEN, 0);
            headers.set(ValueLayout.JAVA_INT, h + FLAGS, 0);
        }
    }

    int capacity() {
        return capacity;
    }

    // ------------------------------------------------------------ receiving: fixed slots of dataCapacity/capacity

    /** Points message {@code i} at slot {@code i} of the data, to receive into. */
    void prepareReceive() {
        long slot = slotSize();
        for (int i = 0; i < capacity; i++) {
            long h = i * MMSGHDR_SIZE;
            headers.set(ValueLayout.JAVA_INT, h + NAMELEN, (int) SOCKADDR_IN_SIZE);
            headers.set(ValueLayout.JAVA_INT, h + FLAGS, 0);
            headers.set(ValueLayout.JAVA_INT, h + MSG_LEN, 0);
            iovecs.set(ValueLayout.JAVA_LONG, i * IOVEC_SIZE, data.address() + i * slot);
            iovecs.set(ValueLayout.JAVA_LONG, i * IOVEC_SIZE + 8, slot);
        }
    }

    long slotSize() {
        return dataCapacity / capacity;
    }

    /** Offset in {@link #data} of received message {@code i}. */
    long slotOffset(int i) {
        return i * slotSize();
    }

    /** Length of received message {@code i}. */
    int receivedLength(int i) {
        return headers.get(ValueLayout.JAVA_INT, i * MMSGHDR_SIZE + MSG_LEN);
    }

    /** Whether received message {@code i} was cut to its slot, or came from something other than IPv4. */
    boolean receivedBroken(int i) {
        long h = i * MMSGHDR_SIZE;
        return (headers.get(ValueLayout.JAVA_INT, h + FLAGS) & MSG_TRUNC) != 0
                || headers.get(ValueLayout.JAVA_INT, h + NAMELEN) < 8
                || names.get(ValueLayout.JAVA_SHORT, i * SOCKADDR_IN_SIZE) != AF_INET;
    }

    /** The sender's IPv4 address of received message {@code i}. */
    int sourceAddress(int i) {
        return names.get(NET_INT, i * SOCKADDR_IN_SIZE + 4);
    }

    /** The sender's port of received message {@code i}. */
    int sourcePort(int i) {
        return Short.toUnsignedInt(names.get(NET_SHORT, i * SOCKADDR_IN_SIZE + 2));
    }

    // ------------------------------------------------------------ sending: messages packed one after the other

    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Whether a datagram of {@code len} bytes still fits. */
    boolean fits(int len) {
        return count < capacity && used + len <= dataCapacity;
    }

    long dataCapacity() {
        return dataCapacity;
    }

    /**
     * Appends a datagram to {@code ipv4:port}: copies {@code len} bytes from {@code array[offset..]} and writes its
     * header. The caller checked {@link #fits}.
     */
    void add(byte[] array, int offset, int len, int ipv4, int port) {
        MemorySegment.copy(array, offset, data, ValueLayout.JAVA_BYTE, used, len);
        addHeader(len, ipv4, port);
    }

    /** Like {@link #add(byte[], int, int, int, int)}, from native or mapped memory. */
    void add(MemorySegment source, int len, int ipv4, int port) {
        MemorySegment.copy(source, 0, data, used, len);
        addHeader(len, ipv4, port);
    }

    private void addHeader(int len, int ipv4, int port) {
        int i = count;
        long h = i * MMSGHDR_SIZE;
        long n = i * SOCKADDR_IN_SIZE;
        names.set(ValueLayout.JAVA_SHORT, n, AF_INET);
        names.set(NET_SHORT, n + 2, (short) port);
        names.set(NET_INT, n + 4, ipv4);
        names.set(ValueLayout.JAVA_LONG, n + 8, 0);
        headers.set(ValueLayout.JAVA_INT, h + NAMELEN, (int) SOCKADDR_IN_SIZE);
        headers.set(ValueLayout.JAVA_INT, h + FLAGS, 0);
        iovecs.set(ValueLayout.JAVA_LONG, i * IOVEC_SIZE, data.address() + used);
        iovecs.set(ValueLayout.JAVA_LONG, i * IOVEC_SIZE + 8, len);
        used += len;
        count++;
    }

    /** The headers from message {@code first} on, for a {@code sendmmsg} that continues a partly sent batch. */
    MemorySegment headersFrom(int first) {
        return first == 0 ? headers : headers.asSlice(first * MMSGHDR_SIZE);
    }

    void clear() {
        count = 0;
        used = 0;
    }

    /** Writes {@code ipv4:port} as a {@code sockaddr_in} at the start of {@code into} (bind(2)). */
    static void writeSockaddr(MemorySegment into, int ipv4, int port) {
        into.set(ValueLayout.JAVA_SHORT, 0, AF_INET);
        into.set(NET_SHORT, 2, (short) port);
        into.set(NET_INT, 4, ipv4);
        into.set(ValueLayout.JAVA_LONG, 8, 0);
    }

    /** The port of the {@code sockaddr_in} at the start of {@code from} (getsockname(2)). */
    static int readSockaddrPort(MemorySegment from) {
        return Short.toUnsignedInt(from.get(NET_SHORT, 2));
    }

    @Override
    public void close() {
        arena.close();
    }
}
