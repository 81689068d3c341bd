package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.wire.TrafficSelector;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Traffic selector narrowing (RFC 7296 §2.9; ikev2.md §2.3 step 9, pitfall §10.13): our selectors cut down to what
 * the initiator proposed, range by range. The results are subsets of both sides' selectors.
 */
public final class TrafficSelectors {
    private TrafficSelectors() {}

    /** The parts of {@code ours} that lie inside some selector of {@code theirs}, per pair; empty if none. */
    static List<TrafficSelector> narrow(List<TrafficSelector> ours, List<TrafficSelector> theirs) {
        List<TrafficSelector> out = new ArrayList<>();
        for (TrafficSelector o : ours) {
            for (TrafficSelector t : theirs) {
                intersect(o, t).ifPresent(out::add);
            }
        }
        return out;
    }

    static Optional<TrafficSelector> intersect(TrafficSelector a, TrafficSelector b) {
        if (a.tsType() != b.tsType()) {
            return Optional.empty();
        }
        int protocol;
        if (a.ipProtocol() == 0 || b.ipProtocol() == 0 || a.ipProtocol() == b.ipProtocol()) {
            protocol = Math.max(a.ipProtocol(), b.ipProtocol());
        } else {
            return Optional.empty();
        }
        int startPort = Math.max(a.startPort(), b.startPort());
        int endPort = Math.min(a.endPort(), b.endPort());
        BigInteger start = max(new BigInteger(1, a.startAddress()), new BigInteger(1, b.startAddress()));
        BigInteger end = min(new BigInteger(1, a.endAddress()), new BigInteger(1, b.endAddress()));
        if (startPort > endPort || start.compareTo(end) > 0) {
            return Optional.empty();
        }
        int len = a.startAddress().length;
        return Optional.of(new TrafficSelector(a.tsType(), protocol, startPort, endPort, bytes(start, len),
                bytes(end, len)));
    }

    /** An IPv4 prefix as a selector for any protocol and port. */
    public static TrafficSelector ipv4(byte[] network, int prefixLength) {
        long base = new BigInteger(1, network).longValue() & mask(prefixLength);
        long last = base | ~mask(prefixLength) & 0xFFFFFFFFL;
        return new TrafficSelector(TrafficSelector.TS_IPV4_ADDR_RANGE, 0, 0, 0xFFFF,
                bytes(BigInteger.valueOf(base), 4), bytes(BigInteger.valueOf(last), 4));
    }

    private static long mask(int prefixLength) {
        return prefixLength == 0 ? 0 : 0xFFFFFFFFL << (32 - prefixLength) & 0xFFFFFFFFL;
    }

    private static BigInteger max(BigInteger a, BigInteger b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static BigInteger min(BigInteger a, BigInteger b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static byte[] bytes(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
        return out;
    }
}
