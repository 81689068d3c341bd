package io.p2sgw.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Small statistics over measured samples. */
final class Stats {
    private Stats() {}

    /** The q-quantile (0..1) by nearest rank; empty for no samples. */
    static Optional<Double> quantile(List<Double> samples, double q) {
        if (samples.isEmpty() || q < 0 || q > 1) {
            return Optional.empty();
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size());
        return Optional.of(sorted.get(Math.max(0, rank - 1)));
    }

    /** (after - before) / count in KiB; empty when count is not positive. */
    static Optional<Double> perItemKiB(long before, long after, int count) {
        if (count <= 0) {
            return Optional.empty();
        }
        return Optional.of((after - before) / 1024.0 / count);
    }
}
