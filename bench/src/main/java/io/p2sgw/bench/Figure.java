package io.p2sgw.bench;

import java.util.Objects;
import java.util.Optional;

/**
 * One measured quantity for both servers, with the target (issue #4 "Performance").
 *
 * @param name       what was measured, e.g. "iperf3 TCP upload over OpenVPN-TCP"
 * @param unit       unit of both values, e.g. "Mbit/s"
 * @param p2sgw      the p2sgw data plane's figure; empty when that measurement failed
 * @param stock      the stock openvpn 2.6 server's figure; empty when that measurement failed or does not apply
 * @param target     the target for this figure, if it has one
 */
public record Figure(String name, String unit, Optional<Double> p2sgw, Optional<Double> stock, Optional<Target> target) {
    public Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(p2sgw, "p2sgw");
        Objects.requireNonNull(stock, "stock");
        Objects.requireNonNull(target, "target");
    }

    /** A target from the issue: either a minimum ratio p2sgw/stock, or an absolute ceiling for the p2sgw figure. */
    public sealed interface Target {
        boolean met(Figure f);

        String describe();
    }

    /** p2sgw / stock must be at least {@code minRatio} (throughput 1.5x, handshakes/s 1.0x). */
    public record MinRatio(double minRatio) implements Target {
        @Override
        public boolean met(Figure f) {
            return f.ratio().map(r -> r >= minRatio).orElse(false);
        }

        @Override
        public String describe() {
            return "p2sgw/stock >= " + Format.number(minRatio);
        }
    }

    /** p2sgw / the reference must be at most {@code maxRatio} (server CPU per GB over IKEv2: 0.5x strongSwan's). */
    public record MaxRatio(double maxRatio) implements Target {
        @Override
        public boolean met(Figure f) {
            return f.ratio().map(r -> r <= maxRatio).orElse(false);
        }

        @Override
        public String describe() {
            return "p2sgw/reference <= " + Format.number(maxRatio);
        }
    }

    /** The p2sgw figure must stay below {@code max} (heap per idle session < 64 KiB). */
    public record Below(double max, String label) implements Target {
        @Override
        public boolean met(Figure f) {
            return f.p2sgw().map(v -> v < max).orElse(false);
        }

        @Override
        public String describe() {
            return "p2sgw < " + label;
        }
    }

    public static Figure of(String name, String unit, Optional<Double> p2sgw, Optional<Double> stock, Target target) {
        return new Figure(name, unit, p2sgw, stock, Optional.of(target));
    }

    /** p2sgw divided by stock; empty when either is missing or stock is zero. */
    public Optional<Double> ratio() {
        if (p2sgw.isEmpty() || stock.isEmpty() || stock.get() == 0.0) {
            return Optional.empty();
        }
        return Optional.of(p2sgw.get() / stock.get());
    }

    /** "met", "NOT met" or "n/a" (a figure is missing). */
    public String verdict() {
        if (target.isEmpty()) {
            return "-";
        }
        boolean measurable = target.get() instanceof Below ? p2sgw.isPresent() : ratio().isPresent();
        if (!measurable) {
            return "n/a";
        }
        return target.get().met(this) ? "met" : "NOT met";
    }
}
