package io.p2sgw.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything measured for one SSTP server. */
final class SstpResult extends ServerResult {
    /** One direction of iperf3 through the tunnel, summed over its repeats. */
    static final class Direction {
        final List<Double> mbps = new ArrayList<>();
        /** Server CPU (user+system) over the runs, in seconds. */
        double serverCpuSeconds;
        /** IP bytes through the server's inner device (TUN, or TAP minus Ethernet headers) over the runs. */
        long innerBytes;
        double wallSeconds;

        Optional<Double> medianMbps() {
            return Stats.quantile(mbps, 0.5);
        }

        /** Server CPU seconds per GB (10^9 bytes) through its inner device. */
        Optional<Double> cpuSecondsPerGb() {
            return innerBytes > 0 ? Optional.of(serverCpuSeconds / (innerBytes / 1e9)) : Optional.empty();
        }

        /**
         * Server CPU seconds per GB after taking off what it spends with the tunnel idle ({@code idlePercent} of a core
         * over the same wall time): the data path's own cost, which the UML client's low rates otherwise drown.
         */
        Optional<Double> netCpuSecondsPerGb(Optional<Double> idlePercent) {
            if (innerBytes <= 0 || idlePercent.isEmpty()) {
                return Optional.empty();
            }
            double net = Math.max(0, serverCpuSeconds - idlePercent.get() / 100.0 * wallSeconds);
            return Optional.of(net / (innerBytes / 1e9));
        }

        /** Server CPU in % of one core per 100 Mbit/s of iperf3 goodput (the same cost, read against goodput). */
        Optional<Double> cpuPercentPer100Mbps() {
            Optional<Double> m = Stats.quantile(mbps, 0.5);
            if (m.isEmpty() || m.get() <= 0 || wallSeconds <= 0) {
                return Optional.empty();
            }
            return Optional.of(100.0 * serverCpuSeconds / wallSeconds / (m.get() / 100.0));
        }
    }

    final Direction upload = new Direction();
    final Direction download = new Direction();
    /** The server's CPU with one tunnel up and idle, in % of a core. */
    Optional<Double> idleCpuPercent = Optional.empty();

    SstpResult(String server) {
        super(server);
    }
}
