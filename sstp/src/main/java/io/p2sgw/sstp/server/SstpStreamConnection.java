package io.p2sgw.sstp.server;

import io.p2sgw.common.buffer.BufferPool;
import io.p2sgw.common.concurrent.SerialQueue;
import io.p2sgw.common.concurrent.Ticker;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.Admission;
import io.p2sgw.dataplane.spi.AdmissionRequest;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.SessionHandle;
import io.p2sgw.dataplane.spi.StreamReceiver;
import io.p2sgw.dataplane.spi.StreamWriter;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import io.p2sgw.sstp.binding.ServerCertificateHashes;
import io.p2sgw.sstp.engine.SstpServerConnection;
import io.p2sgw.sstp.engine.SstpSessionFacts;
import io.p2sgw.sstp.ppp.IpcpLease;
import io.p2sgw.tls.TlsException;
import io.p2sgw.tls.TlsPipe;
import io.p2sgw.tls.TlsServerContext;
import io.p2sgw.tls.eap.EapTlsPolicy;
import io.p2sgw.tls.eap.EapTlsServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSTP client on the shared TCP listener: the outer TLS session (server certificate only, sstp.md §5), the
 * sans-I/O {@link SstpServerConnection} on its plaintext, EAP-TLS inside PPP through {@link EapTlsMethod}, admission by
 * the core when the inner handshake has a client chain, and IPv4 between PPP and the core. It is the core's
 * {@link StreamReceiver} (bytes from the client) and {@link TunnelEndpoint} (packets for the client, the core's
 * close).
 *
 * <p>Threads. Until the call is established every received byte is copied and handled on the connection's own
 * virtual thread ({@link SerialQueue}), because the outer TLS handshake and EAP-TLS cost milliseconds of RSA that must
 * not hold up the core's reader and the other connections it serves. Once the call carries data, records are
 * decrypted on the reader's thread straight from its buffer (nothing waits in the queue by then, so the order holds).
 * One lock serialises the TLS session and the engines; the core's TUN reader takes it to encrypt.
 *
 * <p>Writes. The outer stream is one TLS record stream, where a lost record is fatal (RFC 8446 §5.2), so every byte
 * goes through {@link StreamWriter#writeOrClose}; a data packet for the client is dropped before it is encrypted
 * while the connection is {@link StreamWriter#congested() congested} (and reported to the core), never part of a
 * record. Packets of one burst from the core are encrypted into one batch and written at {@link #flushToClient}.
 */
final class SstpStreamConnection implements StreamReceiver, TunnelEndpoint, Ticker.Tickable {
    private static final Logger LOG = LoggerFactory.getLogger(SstpStreamConnection.class);

    /** The most received chunks waiting for the connection's thread during the handshakes (a client sends few). */
    static final int MAX_QUEUED_READS = 64;
    /** The largest IPv4 packet the core hands over that we frame (SSTP's own limit, [MS-SSTP] 2.2.1). */
    static final int MAX_IP_PACKET = 4087;
    /** Room for a burst of records from the core before {@link #flushToClient} (TunnelEndpoint's 32 packets). */
    static final int BATCH_BYTES = 64 * 1024;
    /**
     * Where a burst of records for clients is gathered, borrowed for the burst and given back at its end: an idle
     * session holds none (issue 15: under 64 KiB of heap per idle session). Direct, so the socket write copies nothing.
     */
    static final BufferPool WRITE_BATCHES = new BufferPool(BATCH_BYTES, BufferPool.DEFAULT_MAX_POOLED, true);

    private final InetSocketAddress remote;
    private final StreamWriter writer;
    private final GatewayCore core;
    private final TlsServerContext context;
    private final SstpServerConfig config;
    private final SecureRandom random;
    private final Consumer<SstpStreamConnection> onEnd;
    private final TlsPipe tls;
    private final long openedAt;
    private final ReentrantLock lock = new ReentrantLock();
    private final SerialQueue<byte[]> slow;
    /** Chunks offered to {@link #slow} and not yet handled: the reader decrypts inline only when none is left. */
    private final AtomicInteger queued = new AtomicInteger();

    /** Set once the call carries data: the reader then decrypts inline. */
    private volatile boolean established;
    private volatile boolean ended;
    private volatile SessionHandle handle;
    private volatile String name;

    // Guarded by lock from here on.
    private SstpServerConnection engine;
    private ByteBuffer rxIn;
    private byte[] rxPlainArray;
    private ByteBuffer rxPlain;
    private byte[] deliverArray;
    private ByteBuffer deliverView;
    private byte[] txPlain;
    private ByteBuffer txView;
    /** The burst being gathered ({@link #WRITE_BATCHES}), or null between bursts. */
    private ByteBuffer txBatch;
    /** One record's room for control messages (SSTP control, PPP negotiation). */
    private ByteBuffer txControl;

    SstpStreamConnection(InetSocketAddress remote, StreamWriter writer, GatewayCore core, TlsServerContext context,
            SstpServerConfig config, SecureRandom random, Consumer<SstpStreamConnection> onEnd) {
        this.remote = remote;
        this.writer = writer;
        this.core = core;
        this.context = context;
        this.config = config;
        this.random = random;
        this.onEnd = onEnd;
        this.name = "SSTP " + remote;
        this.openedAt = config.clock().millis();
        this.tls = context.newServerPipe(TlsServerContext.ClientAuth.NONE, TlsServerContext.PROTOCOLS);
        this.slow = new SerialQueue<>(MAX_QUEUED_READS, "sstp-handshake", this::handleQueued,
                e -> {
                    LOG.warn(name + ": handling failed", e);
                    end("internal error: " + e);
                });
        try {
            tls.begin();
        } catch (TlsException e) {
            ended = true;
            LOG.warn(name + ": cannot start TLS: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------ StreamReceiver (the core's reader)

    @Override
    public boolean received(ByteBuffer bytes) {
        if (ended) {
            return false;
        }
        if (established && queued.get() == 0) {
            lock.lock();
            try {
                return ciphertext(bytes);
            } finally {
                lock.unlock();
            }
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(bytes.position(), copy);
        queued.incrementAndGet();
        if (!slow.offer(copy)) {
            queued.decrementAndGet();
            LOG.info(name + ": the client sent more than " + MAX_QUEUED_READS + " reads ahead of its handshake; closing");
            end("too much input during the handshake");
            return false;
        }
        return true;
    }

    private void handleQueued(byte[] chunk) {
        try {
            boolean more;
            lock.lock();
            try {
                more = ciphertext(ByteBuffer.wrap(chunk));
            } finally {
                lock.unlock();
            }
            if (!more) {
                end("connection over");
            }
        } finally {
            queued.decrementAndGet();
        }
    }

    @Override
    public void ended(String reason) {
        end(reason);
    }

    /** Ends the connection from any thread without the lock held. */
    private void end(String reason) {
        lock.lock();
        try {
            if (engine != null) {
                engine.transportClosed(now());
            } else {
                finish(reason);
            }
        } finally {
            lock.unlock();
        }
    }

    /** TLS ciphertext from the client, in order; false when the connection is over. Lock held. */
    private boolean ciphertext(ByteBuffer bytes) {
        if (ended) {
            return false;
        }
        try {
            if (!tls.handshakeComplete()) {
                tls.receive(bytes);
                writeCiphertext(tls.takeOutput());
                if (!tls.handshakeComplete()) {
                    return !ended;
                }
                startCall();
                return !ended;
            }
            return records(bytes);
        } catch (TlsException e) {
            // JSSE wrote its alert (if any) into the output; send it, then end.
            writeCiphertext(tls.takeOutput());
            LOG.info(name + ": TLS failed: " + e.getMessage());
            closeTransport("TLS: " + e.getMessage());
            return false;
        }
    }

    /** The outer handshake is done: the SSTP engine starts on the plaintext (HTTPS preamble first). */
    private void startCall() throws TlsException {
        X509Certificate leaf = tls.localCertificate().orElse(context.serverCertificate());
        ServerCertificateHashes hashes;
        try {
            hashes = ServerCertificateHashes.of(leaf.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new TlsException("cannot encode the server certificate: " + e.getMessage(), e);
        }
        EapTlsMethod method = new EapTlsMethod(
                (protocols, maxPacket) -> EapTlsServer.create(context, protocols, policy(), maxPacket),
                config.innerTlsProtocols(), () -> {
                    SessionHandle h = handle;
                    return h == null ? "?" : "CN=" + h.userName();
                });
        engine = new SstpServerConnection(config.settings(), hashes, method, new EngineHost(), random, now());
        LOG.debug("{}: outer TLS {} {} done", name, tls.protocol(), tls.cipherSuite());
        int record = tls.maxRecordLength();
        // One record's room: a partial record waits here, and a whole one is decrypted before more is taken in.
        rxIn = ByteBuffer.allocate(record);
        rxPlainArray = new byte[tls.maxPlaintextLength()];
        rxPlain = ByteBuffer.wrap(rxPlainArray);
        txPlain = new byte[SstpServerConnection.IPV4_HEADROOM + MAX_IP_PACKET];
        txView = ByteBuffer.wrap(txPlain);
        txControl = ByteBuffer.allocate(record);
        // Whole records that came with the client's Finished (the preamble, often) are already decrypted ...
        for (Optional<byte[]> p = tls.nextPlaintext(); p.isPresent() && !ended; p = tls.nextPlaintext()) {
            engine.receive(p.get(), 0, p.get().length, now());
        }
        // ... and a partial one goes in front of the next bytes (TlsPipe's switch to record-level calls).
        byte[] pending = tls.takePendingCiphertext();
        if (pending.length > 0 && !ended) {
            records(ByteBuffer.wrap(pending));
        }
    }

    /** Decrypts whole records into the engine; keeps a partial record for the next read. Lock held. */
    private boolean records(ByteBuffer bytes) throws TlsException {
        while (bytes.hasRemaining() && !ended) {
            int take = Math.min(rxIn.remaining(), bytes.remaining());
            rxIn.put(rxIn.position(), bytes, bytes.position(), take);
            rxIn.position(rxIn.position() + take);
            bytes.position(bytes.position() + take);
            rxIn.flip();
            try {
                int n;
                while (!ended && (n = tls.unwrap(rxIn, rxPlain.clear())) > 0) {
                    engine.receive(rxPlainArray, 0, n, now());
                }
            } finally {
                rxIn.compact();
            }
            if (tls.wantsToWrap()) {
                // A TLS 1.3 KeyUpdate answer (RFC 8446 §4.6.3).
                wrapAndWrite(ByteBuffer.allocate(0));
            }
            if (tls.isClosed()) {
                if (engine != null) {
                    engine.transportClosed(now());
                }
                return false;
            }
            if (take == 0) {
                // Cannot happen: rxIn holds a whole record, and whole records were just taken out of it.
                throw new TlsException("TLS record larger than the receive buffer");
            }
        }
        return !ended;
    }

    // ------------------------------------------------------------ Ticker

    @Override
    public void tick() {
        lock.lock();
        try {
            if (ended) {
                return;
            }
            long now = now();
            if (engine != null) {
                engine.tick(now);
            } else if (now - openedAt > config.handshakeTimeoutMillis()) {
                LOG.info(name + ": no TLS handshake in " + config.handshakeTimeoutMillis() + " ms; closing");
                closeTransport("TLS handshake timeout");
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void tickFailed(RuntimeException e) {
        LOG.warn(name + ": timer failed", e);
        end("internal error: " + e);
    }

    // ------------------------------------------------------------ TunnelEndpoint (the core)

    @Override
    public void sendToClient(ByteBuffer ipPacket) {
        int n = ipPacket.remaining();
        boolean sent = false;
        lock.lock();
        try {
            if (established && !ended && n <= MAX_IP_PACKET && !writer.congested()) {
                ipPacket.get(ipPacket.position(), txPlain, SstpServerConnection.IPV4_HEADROOM, n);
                int start = engine.frameIpv4(txPlain, SstpServerConnection.IPV4_HEADROOM, n);
                if (start >= 0) {
                    if (txBatch == null) {
                        txBatch = WRITE_BATCHES.borrow();
                    } else if (txBatch.remaining() < tls.maxRecordLength()) {
                        writeBatch();
                    }
                    txView.clear().position(start).limit(SstpServerConnection.IPV4_HEADROOM + n);
                    tls.wrap(txView, txBatch);
                    sent = true;
                }
            }
        } catch (TlsException e) {
            LOG.info(name + ": TLS failed while encrypting for the client: " + e.getMessage());
            engine.transportClosed(now());
        } finally {
            lock.unlock();
        }
        if (!sent) {
            // Not established, being torn down, or the client is not reading: dropped before encryption (issue 12).
            SessionHandle h = handle;
            if (h != null) {
                h.droppedToClient(1, n);
            }
        }
    }

    @Override
    public void flushToClient() {
        lock.lock();
        try {
            flushBatch();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close(String reason) {
        lock.lock();
        try {
            if (engine == null || ended) {
                return;
            }
            LOG.info(name + ": closed by the gateway: " + reason);
            // LCP Terminate-Request, then SSTP CALL_DISCONNECT once PPP is down ([MS-SSTP] 3.3.5.2.6; sstp.md §4.2).
            engine.disconnect(reason, now());
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------ writing (lock held)

    /** Writes the burst gathered so far and gives the buffer back. */
    private void flushBatch() {
        if (txBatch == null) {
            return;
        }
        writeBatch();
        WRITE_BATCHES.release(txBatch);
        txBatch = null;
    }

    private void writeBatch() {
        txBatch.flip();
        if (txBatch.hasRemaining()) {
            writer.writeOrClose(txBatch);
        }
        txBatch.clear();
    }

    /** Encrypts a control message (anything but a data packet from the core) and writes it behind the batch. */
    private void sendPlaintext(byte[] message) {
        if (ended) {
            return;
        }
        flushBatch();
        try {
            wrapAndWrite(ByteBuffer.wrap(message));
        } catch (TlsException e) {
            LOG.info(name + ": TLS failed while sending: " + e.getMessage());
            closeTransport("TLS: " + e.getMessage());
        }
    }

    private void wrapAndWrite(ByteBuffer plaintext) throws TlsException {
        flushBatch(); // the core's packets of this burst go first: the record stream keeps its order
        do {
            txControl.clear();
            tls.wrap(plaintext, txControl);
            txControl.flip();
            if (txControl.hasRemaining()) {
                writer.writeOrClose(txControl);
            }
        } while (plaintext.hasRemaining());
    }

    private void writeCiphertext(byte[] bytes) {
        if (bytes.length > 0) {
            writer.writeOrClose(ByteBuffer.wrap(bytes));
        }
    }

    /** Ends without the engine (TLS failed, timeout before the engine existed): close the socket. */
    private void closeTransport(String reason) {
        if (engine != null) {
            engine.transportClosed(now());
        } else {
            finish(reason);
        }
    }

    /** The one end of the connection: socket closed, lease released, timer stopped. Lock held. */
    private void finish(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        established = false;
        if (txBatch != null) {
            WRITE_BATCHES.release(txBatch);
            txBatch = null;
        }
        if (tls.handshakeComplete() && !tls.isClosed()) {
            tls.close();
            writeCiphertext(tls.takeOutput());
        }
        writer.close();
        onEnd.accept(this);
        SessionHandle h = handle;
        LOG.atLevel(h == null ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG)
                .log(name + ": ended: " + reason);
        if (h != null) {
            // Never call back into the core with our lock held (TunnelEndpoint#close contract).
            Thread.startVirtualThread(() -> h.close(reason));
        }
    }

    private long now() {
        return config.clock().millis();
    }

    // ------------------------------------------------------------ admission (inside EAP-TLS, lock held)

    /**
     * The gateway's one certificate policy decides (DESIGN.md): the core admits the inner handshake's client chain
     * before our last EAP-TLS flight, so a refused client gets EAP-Failure and then CALL_ABORT (issue 15).
     */
    private EapTlsPolicy policy() {
        return chain -> {
            if (handle != null) {
                return EapTlsPolicy.Verdict.refuse("already admitted on this connection");
            }
            Admission a = core.admit(new AdmissionRequest(TunnelType.SSTP, chain, remote, this));
            return switch (a) {
                case Admission.Refused r -> {
                    LOG.warn(name + ": refused client: " + r.reason() + " - " + r.detail()
                            + "; sending EAP-Failure and CALL_ABORT");
                    yield EapTlsPolicy.Verdict.refuse(r.reason() + ": " + r.detail());
                }
                case Admission.Admitted ok -> {
                    SessionHandle h = ok.handle();
                    handle = h;
                    name = h.connectionId() + " " + remote;
                    yield EapTlsPolicy.Verdict.accept();
                }
            };
        };
    }

    static int parseIpv4(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int a = 0;
        for (String p : parts) {
            int b = Integer.parseInt(p);
            if (b < 0 || b > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            a = a << 8 | b;
        }
        return a;
    }

    /** The first IPv4 DNS server of {@code servers} from {@code index} on, or 0. */
    static int dns(List<String> servers, int index) {
        int seen = 0;
        for (String s : servers) {
            if (s.indexOf(':') >= 0) {
                continue; // IPCP carries IPv4 only (RFC 1877)
            }
            if (seen++ == index) {
                return parseIpv4(s);
            }
        }
        return 0;
    }

    // ------------------------------------------------------------ the engine's host (lock held)

    private final class EngineHost implements SstpServerConnection.Host {
        @Override
        public void send(byte[] bytes) {
            sendPlaintext(bytes);
        }

        @Override
        public Optional<IpcpLease> leaseAddress() {
            SessionHandle h = handle;
            if (h == null) {
                return Optional.empty();
            }
            try {
                List<String> dns = h.dnsServers();
                return Optional.of(new IpcpLease(parseIpv4(h.address()), parseIpv4(h.gatewayAddress()), dns(dns, 0), dns(dns, 1)));
            } catch (IllegalArgumentException e) {
                LOG.warn(name + ": cannot use the session's addresses: " + e.getMessage());
                return Optional.empty();
            }
        }

        @Override
        public void established(SstpSessionFacts facts) {
            established = true;
            LOG.info("{}: SSTP call up: CN={}, address {}, crypto binding {} with HLAK {}, identity '{}', correlation {}",
                    name, handle == null ? "?" : handle.userName(), handle == null ? "?" : handle.address(),
                    facts.hash(), facts.layout(), facts.identity(), facts.correlationId());
        }

        @Override
        public void ipv4(byte[] buf, int off, int len) {
            SessionHandle h = handle;
            if (h == null) {
                return;
            }
            // One view per receive array, re-pointed per packet: no allocation per packet.
            if (buf != deliverArray) {
                deliverArray = buf;
                deliverView = ByteBuffer.wrap(buf);
            }
            deliverView.clear().position(off).limit(off + len);
            h.fromClient(deliverView);
        }

        @Override
        public void closed(String reason) {
            flushBatch();
            finish(reason);
        }
    }
}
