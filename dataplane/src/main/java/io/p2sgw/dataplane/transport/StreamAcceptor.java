package io.p2sgw.dataplane.transport;

import io.p2sgw.common.log.LogRateLimiter;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.PreAuthBudget;
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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared TCP listener (443 by default, DESIGN.md "Ports"): accepts, reads the first bytes of each
 * connection within a bounded size and time, asks each enabled {@link StreamProtocol} whether they are its
 * own (Netty's port unification), and hands the connection over with the bytes read so far; from then on the
 * {@link StreamReaders} read it and push its bytes to the protocol's {@link io.p2sgw.dataplane.spi.StreamReceiver}.
 * A connection no protocol claims is closed; the listener goes on.
 *
 * <p>Every connection holds a ticket of the core's {@link PreAuthBudget} from accept until its end (issue 13): over the
 * budget's per-source or total cap it is closed at once; still unadmitted at the ticket's deadline it is closed, during
 * the probe or after the hand-over, whatever bytes arrived meanwhile (a client that sent a length prefix of 1000 and
 * one opcode byte was held forever before). Admission releases the ticket (the core matches the request's public
 * address, which is the connection's remote address). Lines about unidentified connections are rate-limited.
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
    public enum Outcome {
        HANDED_OVER, UNKNOWN_PROTOCOL, PROBE_TIMEOUT, PROBE_TOO_LONG, CLOSED_EARLY, ACCEPT_FAILED,
        /** Closed at accept: the pre-authentication budget's per-source or total cap was reached. */
        OVER_BUDGET
    }

    /** Why a handed-over connection ends at the budget's deadline (its protocol's receiver hears it). */
    public static final String NOT_AUTHENTICATED_IN_TIME = "not authenticated within the pre-authentication deadline";

    /** Lines about unidentified connections per {@link #LOG_PERIOD}; beyond, one summary (issue 13: one per connection). */
    static final int LOG_LINES_PER_PERIOD = 10;
    static final Duration LOG_PERIOD = Duration.ofSeconds(10);

    private final InetSocketAddress bind;
    private final Supplier<List<StreamProtocol>> enabled;
    private final GatewayCore core;
    private final ProbeLimits limits;
    private final Consumer<Outcome> outcomes;
    private final ScheduledExecutorService timer;
    private final Runnable onWriteDropped;
    private final PreAuthBudget budget;
    private final LogRateLimiter unidentified;
    private final int readerThreads;
    /** Made by the first {@link #start}, closed by {@link #shutdown}; they outlive a {@link #close} and restart. */
    private volatile StreamReaders readers;
    private volatile ServerSocketChannel server;
    private volatile Thread acceptThread;

    /**
     * Without a budget and with writes dropped silently (tests of the listener alone).
     *
     * @param enabled  the protocols whose tunnel type is enabled now (read for every connection)
     * @param outcomes receives each connection's outcome (metrics)
     */
    public StreamAcceptor(InetSocketAddress bind, Supplier<List<StreamProtocol>> enabled, GatewayCore core,
            ProbeLimits limits, Consumer<Outcome> outcomes) {
        this(bind, enabled, core, limits, outcomes, () -> { }, PreAuthBudget.UNLIMITED);
    }

    /**
     * @param onWriteDropped run for each write a connection's writer dropped (the core counts {@code client_not_reading})
     * @param budget         the core's pre-authentication budget: a ticket per connection from accept to admission
     */
    public StreamAcceptor(InetSocketAddress bind, Supplier<List<StreamProtocol>> enabled, GatewayCore core,
            ProbeLimits limits, Consumer<Outcome> outcomes, Runnable onWriteDropped, PreAuthBudget budget) {
        this(bind, enabled, core, limits, outcomes, onWriteDropped, budget, StreamReaders.DEFAULT_THREADS);
    }

    /** @param readerThreads epoll reader threads; 0 reads each connection on a virtual thread (tests of that fallback) */
    StreamAcceptor(InetSocketAddress bind, Supplier<List<StreamProtocol>> enabled, GatewayCore core, ProbeLimits limits,
            Consumer<Outcome> outcomes, Runnable onWriteDropped, PreAuthBudget budget, int readerThreads) {
        this.onWriteDropped = onWriteDropped;
        this.budget = budget;
        this.readerThreads = readerThreads;
        this.bind = bind;
        this.enabled = enabled;
        this.core = core;
        this.limits = limits;
        this.outcomes = outcomes;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("probe-timer").factory());
        this.unidentified = new LogRateLimiter("unidentified TCP connections", LOG_LINES_PER_PERIOD, LOG_PERIOD,
                System::nanoTime, LOG::info);
        // The summary of a flood that stopped is written without waiting for the next unidentified connection.
        timer.scheduleAtFixedRate(unidentified::flush, LOG_PERIOD.toMillis(), LOG_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
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
        new AcceptLoop<>("TCP " + bind, source, System::nanoTime, AcceptLoop.Sleeper.THREAD, reports).run(this::admitToProbe);
    }

    /**
     * Takes a budget ticket for a new connection (on the accept thread: a refused one costs no thread), then probes it
     * on a virtual thread of its own.
     */
    private void admitToProbe(SocketChannel c) {
        InetSocketAddress remote;
        try {
            remote = (InetSocketAddress) c.getRemoteAddress();
        } catch (IOException e) {
            closeQuietly(c); // reset before we looked
            outcomes.accept(Outcome.CLOSED_EARLY);
            return;
        }
        Unauthenticated u = new Unauthenticated(c);
        Optional<PreAuthBudget.Ticket> ticket = budget.enter(PreAuthBudget.Transport.TCP, remote, u::expire);
        if (ticket.isEmpty()) {
            // Counted before the close: a client (or a test) that sees the close must also see the count.
            outcomes.accept(Outcome.OVER_BUDGET); // the budget counted and logged the refusal itself
            closeQuietly(c);
            return;
        }
        u.ticket = ticket.get();
        Thread.ofVirtual().name("tcp-conn").start(() -> handle(u, String.valueOf(remote)));
    }

    /**
     * A connection not admitted yet, and how its pre-authentication deadline ends it: while probing, by closing the
     * channel (the probe's read then fails); once handed over, through its {@link TcpConnection}, whose reading thread
     * alone may close the channel.
     */
    private final class Unauthenticated {
        final SocketChannel channel;
        volatile PreAuthBudget.Ticket ticket;
        private TcpConnection connection;
        private boolean expired;

        Unauthenticated(SocketChannel channel) {
            this.channel = channel;
        }

        synchronized void expire() {
            expired = true;
            if (connection != null) {
                connection.close(NOT_AUTHENTICATED_IN_TIME);
            } else {
                closeQuietly(channel);
            }
        }

        /** False when the deadline passed first: the channel is closed, nothing may use its descriptor. */
        synchronized boolean handOver(TcpConnection c) {
            if (expired) {
                return false;
            }
            connection = c;
            return true;
        }
    }

    private void handle(Unauthenticated u, String peer) {
        SocketChannel c = u.channel;
        ByteBuffer buf = ByteBuffer.allocate(limits.maxBytes());
        ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(c), limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            while (true) {
                int n = c.read(buf);
                if (n < 0) {
                    deadline.cancel(false);
                    closeQuietly(c);
                    u.ticket.release();
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
                            u.ticket.refuse(PreAuthBudget.Refusal.TIMEOUT);
                            closeQuietly(c);
                            return;
                        }
                        outcomes.accept(Outcome.HANDED_OVER);
                        buf.flip();
                        handOver(p, u, peer, buf);
                        return;
                    }
                    needMore |= r == StreamProtocol.Probe.NEED_MORE;
                }
                if (!needMore) {
                    deadline.cancel(false);
                    int got = buf.position();
                    unidentified.log(() -> "TCP connection from " + peer + " closed: first " + got
                            + " bytes match no enabled protocol " + candidates.stream().map(StreamProtocol::name).toList());
                    outcomes.accept(Outcome.UNKNOWN_PROTOCOL);
                    u.ticket.refuse(PreAuthBudget.Refusal.JUNK);
                    closeQuietly(c);
                    return;
                }
                if (!buf.hasRemaining()) {
                    deadline.cancel(false);
                    unidentified.log(() -> "TCP connection from " + peer + " closed: not identified within "
                            + limits.maxBytes() + " bytes");
                    outcomes.accept(Outcome.PROBE_TOO_LONG);
                    u.ticket.refuse(PreAuthBudget.Refusal.JUNK);
                    closeQuietly(c);
                    return;
                }
            }
        } catch (IOException e) {
            // The probe deadline or the budget's deadline closed the channel, or the peer reset it.
            boolean probeTimedOut = deadline.isDone() && !deadline.isCancelled();
            deadline.cancel(false);
            outcomes.accept(probeTimedOut ? Outcome.PROBE_TIMEOUT : Outcome.CLOSED_EARLY);
            if (probeTimedOut) {
                unidentified.log(() -> "TCP connection from " + peer + " closed: not identified within " + limits.timeout());
                u.ticket.refuse(PreAuthBudget.Refusal.TIMEOUT);
            } else {
                u.ticket.release(); // reset by the client, or expired (the budget counted that)
            }
            closeQuietly(c);
        }
    }

    /**
     * Gives the connection to the protocol that claimed it: its receiver gets the bytes read while probing here, then
     * the {@link StreamReaders} read the rest.
     */
    private void handOver(StreamProtocol p, Unauthenticated u, String peer, ByteBuffer alreadyRead) {
        SocketChannel c = u.channel;
        InetSocketAddress remote;
        try {
            remote = (InetSocketAddress) c.getRemoteAddress();
        } catch (IOException e) {
            closeQuietly(c); // gone already
            u.ticket.release();
            return;
        }
        StreamReaders r = readers;
        if (r == null) {
            closeQuietly(c); // the acceptor was shut down meanwhile
            u.ticket.release();
            return;
        }
        // One descriptor per connection: the reader and the writer use the channel's own (SocketFd says why it is safe).
        int fd = descriptorOf(c);
        StreamWriter writer = fd >= 0 ? NonBlockingStreamWriter.sharing(c, fd, onWriteDropped)
                : NonBlockingStreamWriter.of(c, onWriteDropped);
        PreAuthBudget.Ticket ticket = u.ticket;
        TcpConnection conn = new TcpConnection(c, peer, r.epoll() ? fd : -1, writer, ticket::release);
        if (!u.handOver(conn)) {
            // The budget's deadline passed while we probed; it closed the channel.
            closeQuietly(c);
            ticket.release();
            return;
        }
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

    /** The channel's descriptor number to read and write {@code c} with, or -1 (read by a virtual thread, written blocking). */
    private static int descriptorOf(SocketChannel c) {
        try {
            OptionalInt fd = SocketFd.descriptorOf(c);
            if (fd.isEmpty()) {
                StreamReaders.warnFallback(SocketFd.UNAVAILABLE_BECAUSE.orElse("the socket's descriptor is not available"));
            }
            return fd.orElse(-1);
        } catch (LinkageError e) {
            StreamReaders.warnFallback(e.toString());
            return -1;
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
