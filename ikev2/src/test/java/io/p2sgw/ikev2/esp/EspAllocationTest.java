package io.p2sgw.ikev2.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The data path allocates nothing per packet once warmed up (the hot path rule), measured with the JVM's per-thread
 * allocation counter over many seal+open round trips of a 1400-byte inner packet, as DatagramAllocationTest does.
 *
 * <p>AES-CBC/HMAC: nothing at all (the bound is far below one object per packet). AES-GCM: JCA needs a {@code
 * Cipher.init} per nonce, and SunJCE's init allocates its GHASH and counter state (about 1.1 KB per init on JDK 25);
 * that cost is measured here on a bare JCA loop and ours may add nothing to it.
 */
@Timeout(120)
class EspAllocationTest {
    private static final int INNER = 1400;
    private static final int WARM_UP = 150_000;
    private static final int MEASURED = 20_000;
    /** Measured windows at most, each after the one before it allocated (a slow JIT delays, never fails, the test). */
    private static final int WINDOWS = 10;
    /** Bytes per packet allowed on average: a few stray objects over the whole run, never one per packet. */
    private static final double MAX_BYTES_PER_PACKET = 2.0;

    @ParameterizedTest
    @EnumSource(value = EspSuite.class, names = {"CBC_256_SHA256", "CBC_128_SHA1", "CBC_256_SHA512"})
    void cbcHmacAllocatesNothingPerPacket(EspSuite suite) {
        ThreadMXBean threads = threads();
        RoundTrip rt = new RoundTrip(suite);
        rt.run(WARM_UP);
        double perPacket = Double.MAX_VALUE;
        for (int w = 0; w < WINDOWS && perPacket > MAX_BYTES_PER_PACKET; w++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            rt.run(MEASURED);
            perPacket = (threads.getCurrentThreadAllocatedBytes() - before) / (double) MEASURED;
        }
        assertTrue(perPacket <= MAX_BYTES_PER_PACKET, suite + " allocated " + perPacket + " bytes per round trip");
    }

    @ParameterizedTest
    @EnumSource(value = EspSuite.class, names = {"GCM_256", "GCM_128"})
    void gcmAllocatesNothingBeyondJcasInit(EspSuite suite) throws Exception {
        ThreadMXBean threads = threads();
        BareJcaGcm bare = new BareJcaGcm(suite);
        bare.run(WARM_UP);
        double baseline = Double.MAX_VALUE;
        for (int w = 0; w < WINDOWS; w++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            bare.run(MEASURED);
            baseline = Math.min(baseline, (threads.getCurrentThreadAllocatedBytes() - before) / (double) MEASURED);
        }
        RoundTrip rt = new RoundTrip(suite);
        rt.run(WARM_UP);
        double perPacket = Double.MAX_VALUE;
        for (int w = 0; w < WINDOWS && perPacket > baseline + MAX_BYTES_PER_PACKET; w++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            rt.run(MEASURED);
            perPacket = (threads.getCurrentThreadAllocatedBytes() - before) / (double) MEASURED;
        }
        assertTrue(perPacket <= baseline + MAX_BYTES_PER_PACKET,
                suite + " allocated " + perPacket + " bytes per round trip, JCA alone " + baseline);
    }

    private static ThreadMXBean threads() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter in this JVM");
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }

    /** Seal then open, in one caller-owned buffer, as the gateway's two threads would do each on its own. */
    private static final class RoundTrip {
        private final OutboundEspSa out;
        private final InboundEspSa in;
        private final byte[] inner = EspSuite.ipv4(INNER, 7);
        private final byte[] buf = new byte[2048];

        RoundTrip(EspSuite suite) {
            out = suite.outbound();
            in = suite.inbound();
        }

        void run(int packets) {
            for (int i = 0; i < packets; i++) {
                int len = out.seal(inner, 0, INNER, buf, 0);
                if (in.open(buf, 0, len) != INNER) {
                    throw new AssertionError("round trip failed: " + in.lastDrop());
                }
            }
            assertEquals(0, in.counters().dropsByReason().size());
        }
    }

    /** What any JCA AES-GCM user pays per packet: init with a new nonce, AAD, doFinal, both ways. */
    private static final class BareJcaGcm {
        private final Cipher enc;
        private final Cipher dec;
        private final SecretKeySpec key;
        private final byte[] nonce = new byte[12];
        private final byte[] buf = new byte[2048];
        private long counter;

        BareJcaGcm(EspSuite suite) throws Exception {
            enc = Cipher.getInstance("AES/GCM/NoPadding");
            dec = Cipher.getInstance("AES/GCM/NoPadding");
            key = new SecretKeySpec(suite.encryptionKey(), 0, suite.encryption.keyLength(), "AES");
        }

        void run(int packets) throws Exception {
            for (int i = 0; i < packets; i++) {
                long c = ++counter;
                for (int b = 0; b < 8; b++) {
                    nonce[4 + b] = (byte) (c >>> (56 - 8 * b));
                }
                enc.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                enc.updateAAD(buf, 0, 8);
                int n = enc.doFinal(buf, 16, INNER + 4, buf, 16);
                dec.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                dec.updateAAD(buf, 0, 8);
                dec.doFinal(buf, 16, n, buf, 16);
            }
        }
    }
}
