package io.p2sgw.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.tls.TlsPipeTest.Client;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record-level data path SSTP uses after the handshake: ciphertext and plaintext in the caller's buffers, whole
 * records only, a partial record left for the caller, and no per-record copy or array of ours. The allocation check
 * reads the thread's allocated-bytes counter (com.sun.management.ThreadMXBean) over many records after a warm-up and
 * asserts generously, never on timing: the pipe adds at most a few objects to what the bare engine allocates, and
 * with AWS-LC (the gateway's default providers) less than one record's size per record.
 */
class TlsRecordPathTest {
    static final int PACKET = 1400;

    static TlsPipe established(Client client) throws Exception {
        TlsPipe server = TlsPipeTest.serverPipe();
        TlsPipeTest.pump(client, server, false);
        while (server.nextPlaintext().isPresent()) {
            // Nothing but empty records may precede the data path.
        }
        assertEquals(0, server.takePendingCiphertext().length);
        return server;
    }

    static byte[] packet(int seed) {
        byte[] p = new byte[PACKET];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (seed * 31 + i);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void recordsBothWaysThroughTheCallersBuffers(String protocol) throws Exception {
        Client client = new Client(protocol);
        TlsPipe server = established(client);

        // Server to client: two packets, one record each, into one caller buffer.
        ByteBuffer out = ByteBuffer.allocateDirect(4 * server.maxRecordLength());
        int n1 = server.wrap(ByteBuffer.wrap(packet(1)), out);
        int n2 = server.wrap(ByteBuffer.wrap(packet(2)), out);
        assertEquals(out.position(), n1 + n2);
        out.flip();
        byte[] wire = new byte[out.remaining()];
        out.get(wire);
        client.consume(wire);
        assertArrayEquals(packet(1), client.received.get(0));
        assertArrayEquals(packet(2), client.received.get(1));

        // Client to server, with the second record cut in the middle: only whole records are decrypted.
        byte[] c1 = client.produce(packet(3));
        byte[] c2 = client.produce(packet(4));
        ByteBuffer in = ByteBuffer.allocate(c1.length + c2.length);
        in.put(c1).put(c2, 0, c2.length / 2).flip();
        ByteBuffer plain = ByteBuffer.allocate(server.maxPlaintextLength());
        assertEquals(PACKET, server.unwrap(in, plain));
        assertEquals(c2.length / 2, in.remaining(), "the partial record stays with the caller");
        assertArrayEquals(packet(3), Arrays.copyOf(plain.array(), plain.position()));
        in.compact().put(c2, c2.length / 2, c2.length - c2.length / 2).flip();
        plain.clear();
        assertEquals(PACKET, server.unwrap(in, plain));
        assertEquals(0, in.remaining());
        assertArrayEquals(packet(4), Arrays.copyOf(plain.array(), plain.position()));

        // No room for a record's plaintext: the record waits in the input.
        byte[] c5 = client.produce(packet(5));
        ByteBuffer small = ByteBuffer.allocate(100);
        ByteBuffer in5 = ByteBuffer.wrap(c5);
        assertEquals(0, server.unwrap(in5, small));
        assertEquals(c5.length, in5.remaining());
    }

    static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static final int WARM = 2_000;
    static final int MEASURED = 5_000;

    /** Bytes this thread allocates per call of {@code step}, averaged over {@link #MEASURED} calls after a warm-up. */
    static long allocatedPerCall(ThrowingStep step) throws Exception {
        for (int i = 0; i < WARM; i++) {
            step.run(i);
        }
        long self = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(self);
        for (int i = WARM; i < WARM + MEASURED; i++) {
            step.run(i);
        }
        return (THREADS.getThreadAllocatedBytes(self) - before) / MEASURED;
    }

    interface ThrowingStep {
        void run(int i) throws Exception;
    }

    @AfterEach
    void jdkProvidersAgain() {
        CryptoProviders.use(CryptoProviders.Choice.JDK);
    }

    /**
     * Our layer adds nothing per record to what the engine allocates by itself: the pipe's wrap and unwrap are
     * compared with bare {@code SSLEngine.wrap}/{@code unwrap} calls on the client engine with the same buffers
     * (JSSE and the JDK's AES-GCM copy a record when they encrypt in place, about 1.4 KB here; AWS-LC does not), and
     * with the message path (send + takeOutput), which copies every record twice more.
     */
    @ParameterizedTest(name = "{0}, {1} providers")
    @CsvSource({"TLSv1.2, JDK", "TLSv1.3, JDK", "TLSv1.2, FAST", "TLSv1.3, FAST"})
    void noPerRecordCopyOnceWarm(String protocol, CryptoProviders.Choice providers) throws Exception {
        CryptoProviders.use(providers);
        Client client = new Client(protocol);
        TlsPipe server = established(client);

        ByteBuffer plaintext = ByteBuffer.wrap(packet(7));
        ByteBuffer out = ByteBuffer.allocate(server.maxRecordLength());
        long pipeWrap = allocatedPerCall(i -> {
            plaintext.clear();
            out.clear();
            server.wrap(plaintext, out);
        });
        long messageWrap = allocatedPerCall(i -> {
            server.send(packet(7));
            server.takeOutput();
        }) - allocatedPerCall(i -> packet(7)); // the test's own array does not count

        // The client's records, made beforehand, then decrypted by the server into one reused buffer.
        ByteBuffer[] inputs = new ByteBuffer[WARM + MEASURED];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = ByteBuffer.wrap(client.produce(packet(i)));
        }
        ByteBuffer plain = ByteBuffer.allocate(server.maxPlaintextLength());
        long[] total = {0};
        long pipeUnwrap = allocatedPerCall(i -> {
            plain.clear();
            total[0] += server.unwrap(inputs[i], plain);
        });
        assertEquals((long) PACKET * (WARM + MEASURED), total[0]);
        // The baseline last: the client's records written here are never read.
        long engineWrap = allocatedPerCall(i -> {
            plaintext.clear();
            out.clear();
            client.engine.wrap(plaintext, out);
        });

        System.out.printf("%s, %s providers, %d-byte records: bytes allocated per record: pipe wrap %d, bare engine wrap %d,"
                + " message path %d, pipe unwrap %d%n", protocol, providers, PACKET, pipeWrap, engineWrap, messageWrap, pipeUnwrap);
        // Generous bounds: what JSSE's own objects may vary by, never a copy of a record.
        assertTrue(pipeWrap <= engineWrap + 256, "the pipe's wrap adds " + (pipeWrap - engineWrap) + " bytes per record");
        assertTrue(messageWrap >= pipeWrap + PACKET, "the message path copies records; the record path does not");
        if (providers == CryptoProviders.Choice.FAST) {
            assertTrue(pipeWrap < PACKET, "AWS-LC encrypts in place: " + pipeWrap + " bytes per wrap");
            assertTrue(pipeUnwrap < PACKET, "AWS-LC decrypts in place: " + pipeUnwrap + " bytes per unwrap");
        }
    }

    /** TLS 1.3: the client's first record can share a read with its Finished; the switch hands over its first half. */
    @org.junit.jupiter.api.Test
    void ciphertextThatCameWithTheHandshakeIsHandedOver() throws Exception {
        Client client = new Client("TLSv1.3");
        TlsPipe server = TlsPipeTest.serverPipe();
        server.receive(ByteBuffer.wrap(client.produce(new byte[0])));
        byte[] flight = client.exchange(server.takeOutput());
        byte[] first = client.produce(packet(9));
        int half = first.length / 2;
        ByteBuffer read = ByteBuffer.allocate(flight.length + half);
        read.put(flight).put(first, 0, half).flip();
        server.receive(read);
        assertTrue(server.handshakeComplete());
        assertTrue(server.nextPlaintext().isEmpty());
        byte[] pending = server.takePendingCiphertext();
        assertArrayEquals(Arrays.copyOf(first, half), pending);
        assertEquals(0, server.takePendingCiphertext().length, "handed over once");

        ByteBuffer in = ByteBuffer.allocate(first.length);
        in.put(pending).put(first, half, first.length - half).flip();
        ByteBuffer plain = ByteBuffer.allocate(server.maxPlaintextLength());
        assertEquals(PACKET, server.unwrap(in, plain));
        assertArrayEquals(packet(9), Arrays.copyOf(plain.array(), plain.position()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3"})
    void notBeforeTheHandshake(String protocol) throws Exception {
        TlsPipe server = TlsPipeTest.serverPipe();
        assertThrows(TlsException.class, () -> server.wrap(ByteBuffer.allocate(1), ByteBuffer.allocate(100)));
        assertThrows(TlsException.class, () -> server.unwrap(ByteBuffer.allocate(1), ByteBuffer.allocate(100)));
    }
}
