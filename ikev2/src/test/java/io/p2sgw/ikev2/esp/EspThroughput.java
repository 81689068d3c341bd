package io.p2sgw.ikev2.esp;

/**
 * A rough single-core throughput figure for the README (not a test, not JMH): seal and open, each timed on its own,
 * of 1400-byte inner packets on one thread, after a warm-up, for the suites that matter. Run after {@code mvn25 -pl
 * ikev2 -am test-compile}:
 * <pre>
 * java -cp ikev2/target/classes:ikev2/target/test-classes:common/target/classes io.p2sgw.ikev2.esp.EspThroughput
 * </pre>
 */
final class EspThroughput {
    private static final int INNER = 1400;
    private static final int PACKETS = 300_000;

    private EspThroughput() {}

    public static void main(String[] args) {
        EspSuite[] suites = {EspSuite.GCM_256, EspSuite.GCM_128, EspSuite.CBC_256_SHA256, EspSuite.CBC_256_SHA1};
        for (int round = 0; round < 3; round++) {
            for (EspSuite s : suites) {
                measure(s, round == 2);
            }
        }
    }

    private static void measure(EspSuite suite, boolean print) {
        OutboundEspSa out = suite.outbound();
        InboundEspSa in = suite.inbound();
        byte[] inner = EspSuite.ipv4(INNER, 1);
        byte[][] packets = new byte[1024][2048];
        int[] lengths = new int[packets.length];
        long sealNanos = 0;
        long openNanos = 0;
        for (int done = 0; done < PACKETS; done += packets.length) {
            long t0 = System.nanoTime();
            for (int i = 0; i < packets.length; i++) {
                lengths[i] = out.seal(inner, 0, INNER, packets[i], 0);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < packets.length; i++) {
                if (in.open(packets[i], 0, lengths[i]) != INNER) {
                    throw new AssertionError(in.lastDrop());
                }
            }
            long t2 = System.nanoTime();
            sealNanos += t1 - t0;
            openNanos += t2 - t1;
        }
        if (print) {
            long n = PACKETS / packets.length * (long) packets.length;
            System.out.printf("%-15s seal %5.0f MB/s  open %5.0f MB/s  (inner bytes, one core)%n", suite,
                    n * INNER / (sealNanos / 1e9) / 1e6, n * INNER / (openNanos / 1e9) / 1e6);
        }
    }
}
