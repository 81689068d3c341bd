package io.p2sgw.dataplane.transport;

import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.StreamProtocol;
import io.p2sgw.dataplane.spi.StreamWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared TCP listener (443 by default, DESIGN.md "Ports"): accepts, reads the first bytes of each
 * connection within a bounded size and time, asks each enabled {@link StreamProtocol} whether they are its
 * own (Netty's port unification), and hands the connection over with the bytes read so far; from then on the
 * {@link StreamReaders} read it and push its bytes to the protocol's {@link io.p2sgw.dataplane.spi.StreamReceiver}.
 * A connection no protocol claims is closed; the listener goes on.
 */
public final class StreamAcceptor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamAcceptor.class);

    /** Probe limits: a client must identify itself within this many bytes and this much time. */
    public record ProbeLimits(int maxBytes, Duration timeout) {
        /**
         * 512 bytes is ample: OpenVPN's P_CONTROL_HARD_RESET_CLIENT_V2 is recognised from its first 3 bytes
         * (length + opcode), an SSTP client's TLS record header from 5.
         */
        public static final ProbeLimits DEFAULT = new ProbeLimits(512, Duration.ofSeconds(5));

        public ProbeLimits {
            if (maxBytes < 1 || maxBytes > 65_536) {
                throw new IllegalArgumentException("probe size must be 1..65536");
            }
        }
    }

    /**
     * What happened to one connection, for metrics; {@code ACCEPT_FAILED} counts failed {@code accept} calls
     * (descriptors exhausted), which {@link AcceptLoop} paces.
     */
    public enum Outcome { HANDED_OVER, UNKNOWN_PROTOCOL, PROBE_TIMEOUT, PROBE_TOO_LONG, CLOSED_EARLY, ACCEPT_FAILED }

    private final InetSocketAddress bind;
    private final Supplier<List<StreamProtocol>> enabled;
    private final GatewayCore core;
    private final ProbeLimits limits;
    private final Consumer<Outcome> outcomes;
    private final ScheduledExecutorService timer;
    private final Function<SocketChannel, StreamWriter> writers;
    private final int readerThreads;
    /** Made by the first {@link #start}, closed by {@link #shutdown}; they outlive a {@link #close} and restart. */
    private volatile StreamReaders readers;
    private volatile ServerSocketChannel server;
    private volatile Thread acceptThread;

    /**
     * @param enabled  the protocols whose tunnel type is enabled now (read for every connection)
     * @param outcomes receives each connection's outcome (metrics)
     */
    public StreamAcceptor(InetSocketAddress bind, Supplier<List<StreamProtocol>> enabled, GatewayCore core,
            ProbeLimits limits, Consumer<Outcome> outcomes) {
        this(bind, enabled, core, limits, outcomes, c -> NonBlockingStreamWriter.of(c, () -> { }));
    }

    /** @param writers makes the writer of each connection handed to a protocol (the core counts its drops) */
    public StreamAcceptor(InetSocketAddress bind, Supplier<List<StreamProtocol>> enabled, GatewayCore core,
            ProbeLimits limits, Consumer<Outcome> outcomes, Function<SocketChannel, StreamWriter> writers) {
        this(bind, enabled, core, limits, outcomes, writers, StreamReaders.DEFAULT_THREADS);
    }

    /** @param readerThreads epoll reader threads; 0 reads each connection on a virtual thread (tests of that fallback) */
    StreamAcceptor(InetSocketAddress bind, Supplier<List<StreamProtocol>> enabled, GatewayCore core,
            ProbeLimits limits, Consumer<Outcome> outcomes, Function<SocketChannel, StreamWriter> writers, int readerThreads) {
        this.writers = writers;
        this.readerThreads = readerThreads;
        this.bind = bind;
        this.enabled = enabled;
        this.core = core;
        this.limits = limits;
        this.outcomes = outcomes;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("probe-timer").factory());
    }

    /** Binds and starts accepting; returns once listening. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        if (readers == null) {
            readers = new StreamReaders(readerThreads);
        }
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        ch.bind(bind, 1024);
        server = ch;
        acceptThread = Thread.ofVirtual().name("tcp-accept-" + bind.getPort()).start(() -> acceptLoop(ch));
        LOG.info("listening on TCP {}", localAddress());
    }

    /** The bound address (the port is real when 0 was asked for). */
    public InetSocketAddress localAddress() {
        try {
            ServerSocketChannel ch = server;
            return ch == null ? bind : (InetSocketAddress) ch.getLocalAddress();
        } catch (IOException e) {
            return bind;
        }
    }

    public boolean isRunning() {
        return server != null;
    }

    private void acceptLoop(ServerSocketChannel ch) {
        AcceptLoop.Source<SocketChannel> source = new AcceptLoop.Source<>() {
            @Override
            public SocketChannel accept() throws IOException {
                return ch.accept();
            }

            @Override
            public boolean isOpen() {
                return ch.isOpen();
            }
        };
        AcceptLoop.Reports reports = new AcceptLoop.Reports() {
            @Override
            public void warn(String line) {
                LOG.warn(line);
            }

            @Override
            public void info(String line) {
                LOG.info(line);
            }

            @Override
            public void acceptFailed() {
                outcomes.accept(Outcome.ACCEPT_FAILED);
            }
        };
        new AcceptLoop<>("TCP " + bind, source, System::nanoTime, AcceptLoop.Sleeper.THREAD, reports)
                .run(c -> Thread.ofVirtual().name("tcp-conn").start(() -> handle(c)));
    }

    private void handle(SocketChannel c) {
        ByteBuffer buf = ByteBuffer.allocate(limits.maxBytes());
        ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(c), limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        String peer = peerOf(c);
        try {
            while (true) {
                int n = c.read(buf);
                if (n < 0) {
                    deadline.cancel(false);
                    closeQuietly(c);
                    outcomes.accept(Outcome.CLOSED_EARLY);
                    return;
                }
                List<StreamProtocol> candidates = enabled.get();
                boolean needMore = false;
                for (StreamProtocol p : candidates) {
                    ByteBuffer view = buf.duplicate().flip();
                    StreamProtocol.Probe r = p.probe(view.asReadOnlyBuffer());
                    if (r == StreamProtocol.Probe.MATCH) {
                        if (!deadline.cancel(false)) {
                            outcomes.accept(Outcome.PROBE_TIMEOUT);
                            closeQuietly(c);
                            return;
                        }
                        outcomes.accept(Outcome.HANDED_OVER);
                        buf.flip();
                        handOver(p, c, peer, buf);
                        return;
                    }
                    needMore |= r == StreamProtocol.Probe.NEED_MORE;
                }
                if (!needMore) {
                    deadline.cancel(false);
                    LOG.info("TCP connection from {} closed: first {} bytes match no enabled protocol {}", peer,
                            buf.position(), candidates.stream().map(StreamProtocol::name).toList());
                    outcomes.accept(Outcome.UNKNOWN_PROTOCOL);
                    closeQuietly(c);
                    return;
                }
                if (!buf.hasRemaining()) {
                    deadline.cancel(false);
                    LOG.info("TCP connection from {} closed: not identified within {} bytes", peer, limits.maxBytes());
                    outcomes.accept(Outcome.PROBE_TOO_LONG);
                    closeQuietly(c);
                    return;
                }
            }
        } catch (IOException e) {
            // The deadline closed the channel, or the peer reset it.
            outcomes.accept(deadline.isDone() && !deadline.isCancelled() ? Outcome.PROBE_TIMEOUT : Outcome.CLOSED_EARLY);
            if (deadline.isDone() && !deadline.isCancelled()) {
                LOG.info("TCP connection from {} closed: not identified within {}", peer, limits.timeout());
            }
            closeQuietly(c);
        }
    }

    /**
     * Gives the connection to the protocol that claimed it: its receiver gets the bytes read while probing here, then
     * the {@link StreamReaders} read the rest.
     */
    private void handOver(StreamProtocol p, SocketChannel c, String peer, ByteBuffer alreadyRead) {
        InetSocketAddress remote;
        try {
            remote = (InetSocketAddress) c.getRemoteAddress();
        } catch (IOException e) {
            closeQuietly(c); // gone already
            return;
        }
        StreamReaders r = readers;
        if (r == null) {
            closeQuietly(c); // the acceptor was shut down meanwhile
            return;
        }
        TcpConnection conn = new TcpConnection(c, peer, r.epoll() ? readDescriptor(c) : -1, writers.apply(c));
        try {
            conn.receiver(p.open(remote, conn, core));
            if (!conn.receiver().received(alreadyRead)) {
                conn.finish("closed by the server");
                return;
            }
        } catch (RuntimeException e) {
            LOG.warn("{} connection from {} ended with {}", p.name(), peer, e.toString());
            conn.finish("protocol error: " + e);
            return;
        }
        r.read(conn);
    }

    /** A descriptor of our own to read {@code c} with, or -1 (it is then read by a virtual thread). */
    private static int readDescriptor(SocketChannel c) {
        try {
            OptionalInt fd = SocketFd.duplicate(c);
            if (fd.isEmpty()) {
                StreamReaders.warnFallback(SocketFd.UNAVAILABLE_BECAUSE.orElse("the socket's descriptor is not available"));
            }
            return fd.orElse(-1);
        } catch (LinkageError e) {
            StreamReaders.warnFallback(e.toString());
            return -1;
        }
    }

    private static String peerOf(SocketChannel c) {
        try {
            return String.valueOf(c.getRemoteAddress());
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to do with a connection we are dropping
        }
    }

    @Override
    public synchronized void close() {
        ServerSocketChannel ch = server;
        server = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a listener we own; nothing to report
            }
            Thread t = acceptThread;
            if (t != null) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            LOG.info("stopped listening on TCP {}", bind);
        }
    }

    /** Frees the probe timer; the acceptor cannot start again afterwards. */
    public void shutdown() {
        close();
        timer.shutdownNow();
        StreamReaders r;
        synchronized (this) {
            r = readers;
            readers = null;
        }
        if (r != null) {
            r.close();
        }
    }
}
