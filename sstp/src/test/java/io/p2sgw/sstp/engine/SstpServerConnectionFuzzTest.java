package io.p2sgw.sstp.engine;

import io.p2sgw.sstp.ppp.IpcpLease;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.p2sgw.sstp.binding.ServerCertificateHashes;
import io.p2sgw.sstp.ppp.FixedRandom;
import io.p2sgw.sstp.ppp.PppSettings;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Jazzer target for a whole SSTP call (preamble, framer, control messages, crypto binding, PPP): the corpus in
 * {@code SstpServerConnectionFuzzTestInputs/} (a complete sstpc-like call and variants) runs in every {@code mvn test};
 * fuzz with {@code JAZZER_FUZZ=1}. Input: records of a length byte and that many bytes of the client's TLS stream; a
 * zero length is ten seconds of ticks. The engine must never throw, close at most once and then stay silent, and hand
 * up IPv4 only once established.
 */
class SstpServerConnectionFuzzTest {
    @FuzzTest
    void call(byte[] data) {
        run(data);
    }

    /** The main seed is a whole call: it must get established, or the corpus no longer reaches the data phase. */
    @Test
    void seedReachesTheDataPhase() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("SstpServerConnectionFuzzTestInputs/call/sstpc-call")) {
            assertTrue(run(in.readAllBytes()));
        }
    }

    /** @return whether the call got established */
    static boolean run(byte[] data) {
        int[] closed = {0};
        boolean[] established = {false};
        SstpServerConnection.Host host = new SstpServerConnection.Host() {
            @Override
            public void send(byte[] bytes) {
                assertEquals(0, closed[0], "sent after closed");
                assertTrue(bytes.length <= io.p2sgw.sstp.wire.SstpHeader.MAX_PACKET || bytes[0] == 'H');
            }

            @Override
            public Optional<IpcpLease> leaseAddress() {
                return Optional.of(IpcpLease.of(0xAC10C90A));
            }

            @Override
            public void established(SstpSessionFacts facts) {
                assertFalse(established[0]);
                established[0] = true;
            }

            @Override
            public void ipv4(byte[] buf, int off, int len) {
                assertTrue(established[0]);
            }

            @Override
            public void closed(String reason) {
                closed[0]++;
            }
        };
        SstpServerConnection c = new SstpServerConnection(
                SstpSettings.defaults(PppSettings.defaults(0xAC10C901, 0x0A010002, 0)),
                ServerCertificateHashes.of(SstpServerConnectionTest.CERT_DER), SstpServerConnectionTest.method(),
                host, new FixedRandom(), 0);
        long now = 0;
        int p = 0;
        while (p < data.length) {
            int len = data[p++] & 0xFF;
            if (len == 0) {
                now += 10_000;
                c.tick(now);
                continue;
            }
            len = Math.min(len, data.length - p);
            c.receive(data, p, len, now);
            p += len;
        }
        c.transportClosed(now);
        assertEquals(1, closed[0]);
        return established[0];
    }
}
