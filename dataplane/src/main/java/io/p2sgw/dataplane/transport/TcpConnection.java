package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.spi.StreamReceiver;
import io.p2sgw.dataplane.spi.StreamWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client's TCP connection after a protocol claimed it: the socket, the core's writer for it, the protocol's
 * {@link StreamReceiver}, and (with {@link StreamReaders}' epoll readers) the socket's descriptor number to read from.
 *
 * <p>It is also the {@link StreamWriter} the protocol gets: writes go to the core's writer unchanged, and the
 * protocol's {@link #close} ends the whole connection, reading side included, so its receiver hears
 * {@link StreamReceiver#ended} once, from the reading thread, like every other end.
 *
 * <p>One descriptor per connection (issue 13): the reader and the core's writer use the channel's own number
 * ({@link SocketFd#descriptorOf}), no duplicates. So when the connection is read by epoll, only the reading thread
 * closes the channel ({@link #finish}), after it left epoll and after the writer stopped sending (its {@code close}
 * takes the writer's lock); anyone may ask for the end ({@link #close}), which shuts the socket down so that thread
 * wakes up to end of stream. The lock makes sure that shutdown never reaches a descriptor number the reader has
 * closed and the kernel has given to another file. A connection read by a virtual thread (the fallback) reads through
 * the channel, so closing the channel (after the writer) is what ends it.
 *
 * <p>{@code onFinish} runs once at the end: the core releases the connection's pre-authentication ticket there.
 */
final class TcpConnection implements StreamWriter {
    final SocketChannel channel;
    final String peer;
    /** The channel's descriptor number, read by an epoll reader, or -1 when the connection is read by a virtual thread. */
    final int readFd;
    private final Runnable onFinish;
    private final StreamWriter writer;
    private final ReentrantLock lock = new ReentrantLock();
    private StreamReceiver receiver;
    /** Guarded by {@link #lock}. */
    private boolean readFdClosed;
    /** Guarded by {@link #lock}; the first reason wins. */
    private String endReason;
    private volatile boolean finished;

    TcpConnection(SocketChannel channel, String peer, int readFd, StreamWriter writer, Runnable onFinish) {
        this.channel = channel;
        this.peer = peer;
        this.readFd = readFd;
        this.writer = writer;
        this.onFinish = onFinish;
    }

    void receiver(StreamReceiver r) {
        this.receiver = r;
    }

    StreamReceiver receiver() {
        return receiver;
    }

    @Override
    public boolean write(ByteBuffer bytes) {
        return writer.write(bytes);
    }

    @Override
    public boolean writeReliably(ByteBuffer bytes) {
        return writer.writeReliably(bytes);
    }

    @Override
    public boolean congested() {
        return writer.congested();
    }

    /**
     * Keeps or writes {@code bytes}; when the client has fallen too far behind, ends the connection with
     * {@link NonBlockingStreamWriter#OVERFLOW_REASON}, which the receiver's {@link StreamReceiver#ended} then hears. The
     * reason is set before anything closes, so the reading thread cannot end the connection with another one first.
     */
    @Override
    public boolean writeOrClose(ByteBuffer bytes) {
        if (!(writer instanceof NonBlockingStreamWriter nb)) {
            return writer.writeOrClose(bytes);
        }
        NonBlockingStreamWriter.Outcome o = nb.offer(bytes, NonBlockingStreamWriter.Kind.KEEP_OR_CLOSE);
        if (o == NonBlockingStreamWriter.Outcome.OVERFLOW) {
            close(NonBlockingStreamWriter.OVERFLOW_REASON);
        }
        return o == NonBlockingStreamWriter.Outcome.TAKEN;
    }

    @Override
    public long dropped() {
        return writer.dropped();
    }

    /** The protocol is done with the connection. */
    @Override
    public void close() {
        close("closed by the server");
    }

    /**
     * Ends the connection from any thread: the client gets its FIN now and the reading thread wakes up to end of stream
     * and {@link #finish}es. Idempotent; the first reason counts.
     */
    void close(String reason) {
        lock.lock();
        try {
            if (endReason == null) {
                endReason = reason;
            }
            if (readFd >= 0 && !readFdClosed) {
                SocketFd.shutdown(readFd);
            }
        } finally {
            lock.unlock();
        }
        if (readFd >= 0) {
            // The reading thread wakes up to the shutdown and closes the channel in finish(); closing it here could
            // free the number while that thread still reads it. The writer stops now (it shuts down too).
            writer.close();
            return;
        }
        // With a virtual-thread reader, closing the channel is what ends its read.
        closeWriterAndChannel();
    }

    /**
     * The reading thread's last word: closes everything, read descriptor included, and tells the receiver once.
     * Only the thread that reads this connection calls it.
     */
    void finish(String reason) {
        if (finished) {
            return;
        }
        finished = true;
        String why;
        lock.lock();
        try {
            if (endReason == null) {
                endReason = reason;
            }
            why = endReason; // a reason given to close() first wins over what the reader saw (its end of stream)
            readFdClosed = true; // no shutdown() from close() from here on: the number is about to be freed
        } finally {
            lock.unlock();
        }
        closeWriterAndChannel();
        try {
            onFinish.run();
        } catch (RuntimeException e) {
            // releasing a budget ticket does not fail; nothing to undo if it did
        }
        StreamReceiver r = receiver;
        if (r != null) {
            r.ended(why);
        }
    }

    /**
     * The writer first (after its close returns it sends nothing more on the shared number), then the channel, which
     * frees the descriptor; both idempotent.
     */
    private void closeWriterAndChannel() {
        writer.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
