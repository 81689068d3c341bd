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
import io.p2sgw.tls.eap.InnerTls;
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
 * record. Packets of one burst from the core are framed back to back into one plaintext batch and encrypted into as
 * few TLS records as fit ([MS-SSTP] 2.2.1: SSTP is a byte stream over the TLS session, a record may carry several
 * packets, as Windows' and SoftEther's servers send them), written at {@link #flushToClient}: a record's fixed costs
 * (header, tag, the engine's per-call work) are paid per burst, not per packet.
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
    /** The most plaintext one TLS record carries (RFC 8446 §5.1, RFC 5246 §6.2.1: 2^14 bytes). */
    static final int MAX_RECORD_PLAINTEXT = 16384;
    /**
     * Where the framed packets of a burst wait to be encrypted together, borrowed like {@link #WRITE_BATCHES} (an idle
     * session holds none). Heap: the engine frames into its array in place.
     */
    static final BufferPool PLAIN_BATCHES = new BufferPool(MAX_RECORD_PLAINTEXT, BufferPool.DEFAULT_MAX_POOLED, false);
    /** Room for one record's plaintext as JSSE sizes it ({@code getApplicationBufferSize}, a little over 2^14). */
    static final int RX_PLAINTEXT_BYTES = 2 * MAX_RECORD_PLAINTEXT;
    /**
     * A record's plaintext lives only while the engine handles it (a packet split across records is copied by the
     * framer), so the buffer belongs to the thread that decrypts, not to the session: the core's few reader threads
     * keep one each, and an idle session holds none (issue 15: under 64 KiB of heap per idle session).
     */
    /** A record split across reads waits here for its rest; room for any record JSSE accepts (2^14 + 2048 + 5). */
    static final BufferPool RX_PARTIAL = new BufferPool(RX_PLAINTEXT_BYTES, BufferPool.DEFAULT_MAX_POOLED, false);
    private static final ThreadLocal<ByteBuffer> RX_PLAINTEXT = ThreadLocal.withInitial(() -> ByteBuffer.allocate(RX_PLAINTEXT_BYTES));

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
    /** A record split across reads, until its last byte comes ({@link #RX_PARTIAL}), or null. */
    private ByteBuffer rxPartial;
    private byte[] deliverArray;
    private ByteBuffer deliverView;
    /** The framed packets of the burst not yet encrypted ({@link #PLAIN_BATCHES}), or null between bursts. */
    private ByteBuffer txPlainBatch;
    /** The burst's TLS records ({@link #WRITE_BATCHES}), or null between bursts. */
    private ByteBuffer txBatch;

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
                maxPacket -> new EapTlsServer(new InnerTls(context, config.innerTlsProtocols(),
                        config.eapTlsKeysWithoutExtendedMasterSecret()), policy(), maxPacket),
                () -> {
                    SessionHandle h = handle;
                    return h == null ? "?" : "CN=" + h.userName();
                });
        engine = new SstpServerConnection(config.settings(), hashes, method, new EngineHost(), random, now());
        LOG.debug("{}: outer TLS {} {} done", name, tls.protocol(), tls.cipherSuite());
        int record = tls.maxRecordLength();
        // One record's room: a partial record waits here, and a whole one is decrypted before more is taken in.
        if (record > RX_PARTIAL.bufferBytes()) {
            throw new TlsException("TLS records of " + record + " bytes exceed " + RX_PARTIAL.bufferBytes());
        }
        if (tls.maxPlaintextLength() > RX_PLAINTEXT_BYTES) {
            throw new TlsException("TLS plaintext records of " + tls.maxPlaintextLength() + " bytes exceed " + RX_PLAINTEXT_BYTES);
        }
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

    /**
     * Decrypts whole records into the engine; keeps a partial record for the next read. Lock held. Whole records are
     * decrypted where they lie, in the reader's buffer; only a record split across reads is copied, into a pooled
     * buffer held until the record is complete (so an idle session holds none).
     */
    private boolean records(ByteBuffer bytes) throws TlsException {
        // The handshake's virtual threads are short-lived: they take a buffer of their own, not a thread-local one.
        ByteBuffer plain = Thread.currentThread().isVirtual() ? ByteBuffer.allocate(RX_PLAINTEXT_BYTES) : RX_PLAINTEXT.get();
        while (bytes.hasRemaining() && !ended) {
            ByteBuffer src = bytes;
            int take = 0;
            if (rxPartial != null) {
                take = Math.min(rxPartial.remaining(), bytes.remaining());
                rxPartial.put(rxPartial.position(), bytes, bytes.position(), take);
                rxPartial.position(rxPartial.position() + take);
                bytes.position(bytes.position() + take);
                rxPartial.flip();
                src = rxPartial;
            }
            try {
                int n;
                while (!ended && (n = tls.unwrap(src, plain.clear())) > 0) {
                    engine.receive(plain.array(), plain.arrayOffset(), n, now());
                }
            } finally {
                if (src == rxPartial) {
                    rxPartial.compact();
                    if (rxPartial.position() == 0) {
                        RX_PARTIAL.release(rxPartial);
                        rxPartial = null;
                    }
                } else if (bytes.hasRemaining() && !ended) {
                    // The start of a record whose rest comes with a later read.
                    rxPartial = RX_PARTIAL.borrow();
                    rxPartial.put(bytes);
                }
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
            if (src == rxPartial && take == 0) {
                // Cannot happen: the buffer holds a whole record, and whole records were just taken out of it.
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
                int framed = SstpServerConnection.IPV4_HEADROOM + n;
                if (txPlainBatch == null) {
                    txPlainBatch = PLAIN_BATCHES.borrow();
                } else if (txPlainBatch.remaining() < framed) {
                    sealPlaintext();
                }
                int at = txPlainBatch.position();
                byte[] a = txPlainBatch.array();
                int ip = txPlainBatch.arrayOffset() + at + SstpServerConnection.IPV4_HEADROOM;
                ipPacket.get(ipPacket.position(), a, ip, n);
                if (engine.frameIpv4(a, ip, n) >= 0) {
                    txPlainBatch.position(at + framed);
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

    /**
     * Encrypts the packets framed so far into the burst's records: one record, as they fit in one by construction,
     * or several when the session's records are smaller (RFC 8449 record_size_limit).
     */
    private void sealPlaintext() throws TlsException {
        txPlainBatch.flip();
        while (txPlainBatch.hasRemaining()) {
            if (txBatch == null) {
                txBatch = WRITE_BATCHES.borrow();
            } else if (txBatch.remaining() < tls.maxRecordLength()) {
                writeBatch();
            }
            if (tls.wrap(txPlainBatch, txBatch) == 0) {
                throw new TlsException("TLS produced no record for " + txPlainBatch.remaining() + " bytes of data");
            }
        }
        txPlainBatch.clear();
    }

    /** Encrypts and writes the burst gathered so far and gives the buffers back. */
    private void flushBatch() {
        if (txPlainBatch != null) {
            try {
                sealPlaintext();
            } catch (TlsException e) {
                LOG.info(name + ": TLS failed while encrypting for the client: " + e.getMessage());
                releasePlainBatch();
                releaseBatch();
                if (engine != null) {
                    engine.transportClosed(now());
                }
                return;
            }
            releasePlainBatch();
        }
        if (txBatch == null) {
            return;
        }
        writeBatch();
        releaseBatch();
    }

    private void releasePlainBatch() {
        if (txPlainBatch != null) {
            PLAIN_BATCHES.release(txPlainBatch);
            txPlainBatch = null;
        }
    }

    private void releaseBatch() {
        if (txBatch != null) {
            WRITE_BATCHES.release(txBatch);
            txBatch = null;
        }
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
        // Control messages are rare (SSTP echo, PPP negotiation): their records go through a pooled buffer, so an
        // idle session keeps none of its own.
        ByteBuffer out = WRITE_BATCHES.borrow();
        try {
            do {
                out.clear();
                tls.wrap(plaintext, out);
                out.flip();
                if (out.hasRemaining()) {
                    writer.writeOrClose(out);
                }
            } while (plaintext.hasRemaining());
        } finally {
            WRITE_BATCHES.release(out);
        }
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
        releasePlainBatch();
        releaseBatch();
        if (rxPartial != null) {
            RX_PARTIAL.release(rxPartial);
            rxPartial = null;
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
