package io.p2sgw.bench;

import io.p2sgw.bench.ClientProfile.Proto;
import io.p2sgw.bench.ClientProfile.Wrap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the benchmark runs; {@code --name=value} arguments, defaults sized for a run of a few minutes.
 *
 * @param iperfSeconds    length of each iperf3 test (plus {@link #IPERF_OMIT_SECONDS} omitted at the start)
 * @param iperfRepeats    iperf3 tests per direction; the figure is their median
 * @param parallel        clients started at once in a handshake round (N)
 * @param rounds          measured handshake rounds
 * @param warmupRounds    handshake rounds before the measured ones, not counted: the same for both servers; they let
 *                        the JVM compile the handshake path (steady state is what a long-running gateway sees);
 *                        {@link #IKEV2_WARMUP_ROUNDS} by default for IKEv2
 * @param idleSessions    idle sessions for the memory figure (K)
 * @param loadNamespaces  client namespaces the load clients are spread over
 * @param wrap            tls-auth or tls-crypt, on both servers
 * @param protos          transports to measure
 * @param out             where RESULTS.md goes
 * @param measures        what to measure (all three by default; fewer for a quick or profiled look)
 * @param servers         which servers to run (both by default; "stock" is strongSwan's responder for IKEv2, SoftEther for SSTP)
 * @param tunnel          the tunnel type measured: OpenVPN (TCP and UDP, against openvpn 2.6), IKEv2 (against strongSwan) or SSTP (against SoftEther)
 */
public record BenchOptions(int iperfSeconds, int iperfRepeats, int parallel, int rounds, int warmupRounds, int idleSessions, int loadNamespaces, Wrap wrap,
        List<Proto> protos, Path out, Set<Measure> measures, Set<Server> servers, Tunnel tunnel) {

    /** The three measurements of a run. */
    public enum Measure { THROUGHPUT, MEMORY, HANDSHAKES }

    /** The tunnel type a run measures ({@code --tunnel=openvpn|ikev2|sstp}). */
    public enum Tunnel { OPENVPN, IKEV2, SSTP }

    /** Where an IKEv2 run writes its figures unless {@code --out} says otherwise. */
    public static final Path IKEV2_RESULTS = Path.of("bench/RESULTS-ikev2.md");

    /** Where an SSTP run writes its figures unless {@code --out} says otherwise. */
    public static final Path SSTP_RESULTS = Path.of("bench/RESULTS-sstp.md");

    /** The two servers compared. */
    public enum Server { P2SGW, STOCK }

    public static final int IPERF_OMIT_SECONDS = 2;
    /**
     * IKEv2's default {@code --warmup-rounds}, instead of OpenVPN's 60: bench/RESULTS-ikev2.md ("Where the handshake CPU
     * goes") found the gateway JVM still compiling its IKE handshake path (C2, with ./p2sgw's
     * CompileThresholdScaling=0.05) for about the first 1,000 handshakes: at 10 clients a round, p2sgw's CPU per
     * handshake was 14-15 ms in rounds 16-60, 5-6 ms in 61-100 and about 3 ms from round 100 on, while strongSwan's
     * charon (C) costs 5 ms from the first round. With fewer than 120 warm-up rounds the measured rounds time the
     * JIT compiler, not the handshake; 150 leaves a margin.
     */
    public static final int IKEV2_WARMUP_ROUNDS = 150;
    /** The pool is a /24 and both servers keep .1 for themselves; leave room for stragglers. */
    public static final int MAX_IDLE_SESSIONS = 240;
    /** Lab namespaces: one for the throughput client, the rest for load. */
    public static final int MAX_LOAD_NAMESPACES = io.p2sgw.lab.Lab.MAX_CLIENTS - 1;

    public BenchOptions {
        check(iperfSeconds, 1, 600, "iperf-seconds");
        check(iperfRepeats, 1, 100, "iperf-repeats");
        check(parallel, 1, MAX_IDLE_SESSIONS, "parallel");
        check(rounds, 1, 1000, "rounds");
        check(warmupRounds, 1, 1000, "warmup-rounds");
        check(idleSessions, 1, MAX_IDLE_SESSIONS, "idle");
        check(loadNamespaces, 1, MAX_LOAD_NAMESPACES, "load-namespaces");
        protos = List.copyOf(protos);
        measures = measures.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(measures));
        servers = servers.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(servers));
        if (measures.isEmpty()) {
            throw new IllegalArgumentException("measure must name throughput, memory and/or handshakes");
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers must name p2sgw and/or stock");
        }
        if (protos.isEmpty()) {
            throw new IllegalArgumentException("protos must name tcp and/or udp");
        }
    }

    private static void check(int v, int min, int max, String name) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", not " + v);
        }
    }

    public static BenchOptions defaults() {
        return new BenchOptions(10, 3, 20, 30, 60, 100, 10, Wrap.TLS_AUTH, List.of(Proto.TCP, Proto.UDP), Path.of("bench/RESULTS.md"),
                EnumSet.allOf(Measure.class), EnumSet.allOf(Server.class), Tunnel.OPENVPN);
    }

    /**
     * Parses {@code --iperf-seconds=10 --iperf-repeats=3 --parallel=20 --rounds=30 --warmup-rounds=60 --idle=100 --load-namespaces=10
     * --wrap=tls-auth --protos=tcp,udp --out=F --measure=throughput,memory,handshakes --servers=p2sgw,stock --tunnel=openvpn|ikev2|sstp}.
     */
    public static BenchOptions parse(List<String> args) {
        BenchOptions d = defaults();
        int iperf = d.iperfSeconds;
        int repeats = d.iperfRepeats;
        int parallel = d.parallel;
        int rounds = d.rounds;
        int warmup = d.warmupRounds;
        int idle = d.idleSessions;
        int ns = d.loadNamespaces;
        Wrap wrap = d.wrap;
        List<Proto> protos = d.protos;
        Path out = d.out;
        Set<Measure> measures = d.measures;
        Set<Server> servers = d.servers;
        Tunnel tunnel = d.tunnel;
        boolean outGiven = false;
        boolean warmupGiven = false;
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("arguments are --name=value, not " + a);
            }
            String name = a.substring(2, eq);
            String value = a.substring(eq + 1);
            switch (name) {
                case "iperf-seconds" -> iperf = integer(name, value);
                case "iperf-repeats" -> repeats = integer(name, value);
                case "parallel" -> parallel = integer(name, value);
                case "rounds" -> rounds = integer(name, value);
                case "warmup-rounds" -> {
                    warmup = integer(name, value);
                    warmupGiven = true;
                }
                case "idle" -> idle = integer(name, value);
                case "load-namespaces" -> ns = integer(name, value);
                case "wrap" -> wrap = Wrap.parse(value);
                case "protos" -> {
                    List<Proto> ps = new ArrayList<>();
                    for (String p : value.split(",")) {
                        ps.add(switch (p.strip().toLowerCase(Locale.ROOT)) {
                            case "tcp" -> Proto.TCP;
                            case "udp" -> Proto.UDP;
                            default -> throw new IllegalArgumentException("protos: tcp or udp, not " + p);
                        });
                    }
                    protos = ps;
                }
                case "out" -> {
                    out = Path.of(value);
                    outGiven = true;
                }
                case "tunnel" -> {
                    Set<Tunnel> ts = names(name, value, Tunnel.class);
                    if (ts.size() != 1) {
                        throw new IllegalArgumentException("--tunnel: one tunnel type per run, not " + value);
                    }
                    tunnel = ts.iterator().next();
                }
                case "measure" -> measures = names(name, value, Measure.class);
                case "servers" -> servers = names(name, value, Server.class);
                default -> throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        if (tunnel == Tunnel.IKEV2 && !warmupGiven) {
            warmup = IKEV2_WARMUP_ROUNDS;
        }
        if (tunnel == Tunnel.IKEV2 && !outGiven) {
            out = IKEV2_RESULTS;
        } else if (tunnel == Tunnel.SSTP && !outGiven) {
            out = SSTP_RESULTS;
        }
        return new BenchOptions(iperf, repeats, parallel, rounds, warmup, idle, ns, wrap, protos, out, measures, servers, tunnel);
    }

    /** What {@code bench/run --help} prints: every option with its default. */
    public static String usage() {
        BenchOptions d = defaults();
        return String.join("\n",
                "bench/run [--name=value ...]: p2sgw next to a stock server, measured the same way (bench/README.md). Needs root.",
                "  --tunnel=openvpn|ikev2|sstp   the tunnel type measured (default " + lower(d.tunnel) + "): against openvpn 2.6,",
                "                                strongSwan's responder or SoftEther VPN Server",
                "  --iperf-seconds=N             length of each iperf3 test (default " + d.iperfSeconds + ", plus " + IPERF_OMIT_SECONDS
                        + " omitted)",
                "  --iperf-repeats=N             iperf3 tests per direction; the figure is their median (default " + d.iperfRepeats + ")",
                "  --parallel=N                  clients started at once in a handshake round (default " + d.parallel + ")",
                "  --rounds=N                    measured handshake rounds (default " + d.rounds + ")",
                "  --warmup-rounds=N             handshake rounds before the measured ones, not counted (default " + d.warmupRounds
                        + "; " + IKEV2_WARMUP_ROUNDS + " with --tunnel=ikev2,",
                "                                where the gateway JVM compiles its IKE path for about 1,000 handshakes:",
                "                                bench/RESULTS-ikev2.md)",
                "  --idle=N                      idle sessions for the memory figure (default " + d.idleSessions + ", at most "
                        + MAX_IDLE_SESSIONS + ")",
                "  --load-namespaces=N           client namespaces the load clients are spread over (default " + d.loadNamespaces + ")",
                "  --wrap=tls-auth|tls-crypt     OpenVPN's control-channel wrap (default " + d.wrap.option() + ")",
                "  --protos=tcp,udp              OpenVPN's transports (default " + String.join(",", d.protos.stream().map(Proto::label).toList())
                        + ")",
                "  --measure=throughput,memory,handshakes   what to measure (default all)",
                "  --servers=p2sgw,stock         which servers (default both)",
                "  --out=FILE                    the results file (default " + d.out + ", " + IKEV2_RESULTS + " or " + SSTP_RESULTS + ")",
                "  --measure=instances [--revocations=50] [--clients=100]   two instances on one PostgreSQL (issue 17)",
                "");
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> Set<E> names(String option, String value, Class<E> type) {
        Set<E> set = EnumSet.noneOf(type);
        for (String v : value.split(",")) {
            String n = v.strip().toUpperCase(Locale.ROOT);
            try {
                set.add(Enum.valueOf(type, n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + option + ": one or more of " + EnumSet.allOf(type).toString().toLowerCase(Locale.ROOT)
                        + ", not " + v, e);
            }
        }
        return set;
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number, not " + value, e);
        }
    }
}
