package io.p2sgw.bench;

import io.p2sgw.lab.BackgroundProcess;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.LabException;
import io.p2sgw.lab.SstpUmlClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SSTP client of the benchmark: sstpc 1.0.18 + pppd 2.4.9 inside one User-Mode Linux guest in a lab client
 * namespace (lab/README.md "A second kernel with PPP"; the host kernel has no PPP), the same guest and options for
 * both servers. Unlike the lab's {@code SstpUmlClient} (one session, fixed checks), the guest runs an agent: the
 * bench drops a bash script into {@code cmd/NNN.sh} in the guest's scratch directory (hostfs), the guest runs it and
 * writes {@code NNN.out} and {@code NNN.rc}. So one booted guest opens one or many sessions (each its own sstpc +
 * pppd, {@code ppp<i>}) and runs iperf3 through them while the bench samples the server's CPU on the host.
 *
 * <p>The guest writes only under its scratch directory; pppd never gets {@code usepeerdns} (the host's
 * /etc/resolv.conf must not change, lab/README.md "Hazards"); every sstpc gets its own {@code --ipparam}.
 */
final class SstpGuest implements AutoCloseable {
    /** The guest's whole life at most (it is stopped long before by {@link #close}). */
    private static final Duration LIFETIME = Duration.ofHours(2);
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * The client's PPP MTU and MRU, the same against both servers: per-packet costs then compare like for like
     * (p2sgw offers the TUN's MTU, SoftEther its own), and a 1400-byte tunnel MTU is what p2sgw's server uses.
     */
    static final int PPP_MTU = 1400;
    /** Guest memory: sstpc + pppd take a few MiB per session, so idle sessions in the dozens fit. */
    static final int GUEST_MEMORY_MIB = 768;

    /** How a session authenticates: EAP-TLS against p2sgw, MS-CHAPv2 against SoftEther (its SSTP takes passwords). */
    sealed interface Credentials {
        String user();
    }

    /** pppd's EAP-TLS with a client certificate (sstp.md §6.2). */
    record EapTls(String user, Path cert, Path key) implements Credentials {}

    /** MS-CHAPv2 with a user name and password (the PPP handshake changes, the data path does not). */
    record Password(String user, String password) implements Credentials {}

    private final Path dir;
    private final BackgroundProcess process;
    private final String namespace;
    private int nextCommand;
    private int sessions;
    private final List<Integer> down = new ArrayList<>();
    private int restarts;

    private SstpGuest(Path dir, BackgroundProcess process, String namespace) {
        this.dir = dir;
        this.process = process;
        this.namespace = namespace;
    }

    /** Boots a guest in lab client namespace {@code client}; returns once its agent runs. */
    static SstpGuest boot(Lab lab, int client, String name) {
        String ns = lab.clientNamespace(client);
        int base = 4 * (client - 1);
        String tap = "192.0.2." + (base + 1);
        String guest = "192.0.2." + (base + 2);
        if (!lab.exec(ns, "ip", "link", "show", "tap0").ok()) {
            lab.exec(ns, "ip", "tuntap", "add", "dev", "tap0", "mode", "tap").orThrow();
            lab.exec(ns, "ip", "addr", "add", tap + "/30", "dev", "tap0").orThrow();
            lab.exec(ns, "ip", "link", "set", "tap0", "up").orThrow();
            lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1").orThrow();
            lab.exec(lab.gatewayNamespace(), "ip", "route", "replace", "192.0.2." + base + "/30", "via", lab.clientAddress(client)).orThrow();
        }
        Path dir = lab.newDirectory("sstp-" + name + "-" + Long.toHexString(System.nanoTime()));
        try {
            Files.createDirectories(dir.resolve("cmd"));
            Files.createDirectories(dir.resolve("uml"));
            write(dir.resolve("ip-up"), "#!/bin/sh\necho \"$@\" > \"" + dir + "/up-$1\"\n", true);
            write(dir.resolve("ip-down"), "#!/bin/sh\nrm -f \"" + dir + "/up-$1\"\n", true);
            write(dir.resolve("init.sh"), initScript(dir, guest, tap), true);
        } catch (IOException e) {
            throw new LabException("cannot write the SSTP guest's files in " + dir + ": " + e.getMessage(), e);
        }
        String uml = "exec timeout -k 5 " + LIFETIME.toSeconds() + " linux.uml mem=" + GUEST_MEMORY_MIB + "M rootfstype=hostfs rootflags=/ rw init="
                + dir + "/init.sh con=null con0=fd:0,fd:1 eth0=tuntap,tap0 uml_dir=" + dir + "/uml umid=" + name + " </dev/null";
        BackgroundProcess p = lab.background(ns, dir.getFileName() + "-uml", List.of("bash", "-c", uml));
        SstpGuest g = new SstpGuest(dir, p, ns);
        if (!g.awaitFile("agent", BOOT_TIMEOUT)) {
            String why = g.diagnostics();
            g.close();
            throw new LabException("the SSTP guest did not boot:\n" + why);
        }
        return g;
    }

    /** PID 1 of the guest: lab's {@link SstpUmlClient#guestBoot}, then the agent loop until {@code cmd/quit}. */
    static String initScript(Path out, String guest, String tap) {
        return SstpUmlClient.guestBoot(out, guest, tap, "agent") + """
                # The agent: the bench drops cmd/NNN.sh; we run it and write NNN.out, then NNN.rc (last, atomically).
                while [ ! -e "$OUT/cmd/quit" ]; do
                  for f in "$OUT"/cmd/*.sh; do
                    [ -e "$f" ] || continue
                    b="${f%.sh}"
                    mv "$f" "$b.run"
                    bash "$b.run" > "$b.out" 2>&1
                    echo $? > "$b.rc.tmp"
                    mv "$b.rc.tmp" "$b.rc"
                  done
                  sleep 0.2
                done
                pkill -TERM sstpc
                pkill -TERM pppd
                for i in $(seq 1 20); do pgrep -x pppd > /dev/null || pgrep -x sstpc > /dev/null || break; sleep 0.25; done
                date +%s.%N > "$OUT/done"
                """;
    }

    /**
     * pppd's options for session {@code unit} (sstp.md §6.2): the credentials' method only, no compression, the
     * bench's PPP MTU, {@code unit} for a predictable {@code ppp<unit>}, our own ip-up/ip-down, never usepeerdns.
     */
    static String pppdOptions(Path out, int unit, Credentials c, Path ca) {
        StringBuilder sb = new StringBuilder();
        sb.append("noauth\nrefuse-pap\nrefuse-chap\nrefuse-mschap\n");
        switch (c) {
            case EapTls t -> sb.append("refuse-mschap-v2\nneed-peer-eap\nca ").append(ca).append("\ncert ").append(t.cert())
                    .append("\nkey ").append(t.key()).append('\n');
            case Password p -> sb.append("refuse-eap\nuser ").append(p.user()).append("\npassword ").append(p.password()).append('\n');
        }
        // No IPv6CP (p2sgw rejects it; SoftEther's would fail here: the guest kernel has no IPv6 sockets).
        sb.append("noipdefault\nnodefaultroute\nnoccp\nnobsdcomp\nnodeflate\nnovj\nnoipv6\n");
        sb.append("mtu ").append(PPP_MTU).append("\nmru ").append(PPP_MTU).append('\n');
        sb.append("unit ").append(unit).append('\n');
        sb.append("ipparam s").append(unit).append('\n');
        sb.append("ip-up-script ").append(out).append("/ip-up\nip-down-script ").append(out).append("/ip-down\n");
        sb.append("debug\nlogfile ").append(out).append("/pppd-").append(unit).append(".log\n");
        return sb.toString();
    }

    /**
     * Opens sessions {@code sessions .. sessions+credentials.size()-1} to {@code server}:443, {@code batch} at a
     * time, and waits until each has its {@code ppp<unit>} up (pppd's ip-up ran). An sstpc that hangs after "Connected
     * to" is started again, at most three times per session: sstpc 1.0.18 never arms its receive when the server's
     * first TLS flight is there before its first read (README, "Limits"), which a fast server on the lab's bare link
     * wins now and then. The sessions that stayed down and the restarts are kept ({@link #down()},
     * {@link #restarts()}).
     *
     * @return how many came up
     */
    int connect(String server, Path ca, List<? extends Credentials> credentials, int batch, Duration timeout) {
        int up = 0;
        for (int from = 0; from < credentials.size(); from += batch) {
            List<? extends Credentials> part = credentials.subList(from, Math.min(credentials.size(), from + batch));
            StringBuilder script = new StringBuilder(connectFunctions(dir, server, ca));
            StringBuilder units = new StringBuilder();
            for (Credentials c : part) {
                int unit = sessions++;
                try {
                    write(dir.resolve("pppd-" + unit + ".options"), pppdOptions(dir, unit, c, ca), false);
                } catch (IOException e) {
                    throw new LabException("cannot write pppd options: " + e.getMessage(), e);
                }
                script.append("start ").append(unit).append(' ').append(c.user()).append('\n');
                units.append(' ').append(unit);
            }
            script.append(waitScript(dir, units.toString().strip(), part.size(), Math.max(10, timeout.toMillis() / 500)));
            Result r = run(script.toString(), timeout.plusSeconds(30));
            for (String line : r.output().lines().toList()) {
                if (line.startsWith("up ")) {
                    up += Integer.parseInt(line.substring(3).strip());
                } else if (line.startsWith("down ")) {
                    for (String u : line.substring(5).strip().split(" ")) {
                        if (!u.isBlank()) {
                            down.add(Integer.parseInt(u));
                        }
                    }
                } else if (line.startsWith("restarted ")) {
                    restarts++;
                }
            }
        }
        return up;
    }

    /**
     * The shell functions of a connect script: {@code start UNIT USER} starts that session's sstpc (pppd's options in a
     * file: sstpc 1.0.18 builds pppd's argv in a fixed array of 20, src/sstp-pppd.c), {@code unread UNIT} gives the
     * bytes from the server that its sstpc has not read.
     */
    static String connectFunctions(Path dir, String server, Path ca) {
        return """
                start() {
                  sstpc --log-stderr --log-level 2 --ca-cert %2$s --ipparam s$1 --user $2 %3$s:443 -- \\
                    file %1$s/pppd-$1.options >> %1$s/sstpc-$1.log 2>&1 &
                  eval "P$1=$! U$1=$2"
                }
                unread() { ss -Htnp '( dport = :443 )' | grep "pid=$(eval echo \\$P$1)," | awk '{ print $2; exit }'; }
                """.formatted(dir, ca, server);
    }

    /**
     * Waits until {@code count} of {@code units} have ppp up, restarting a session whose sstpc left the same bytes
     * unread for 2 s before it came up (at most three times each); prints "restarted UNIT" per restart, then
     * "up N" and "down UNITS".
     */
    static String waitScript(Path dir, String units, int count, long steps) {
        return """
                for i in $(seq 1 %3$d); do
                  n=0
                  for u in %1$s; do
                    if [ -e "%4$s/up-ppp$u" ]; then n=$((n+1)); continue; fi
                    [ $((i %% 4)) -eq 0 ] || continue
                    q=$(unread $u); r=$(eval echo "\\${R$u:-0}")
                    if [ -n "$q" ] && [ "$q" != 0 ] && [ "$q" = "$(eval echo "\\$Q$u")" ] && [ "$r" -lt 3 ]; then
                      p=$(eval echo "\\$P$u"); kill -9 $p; wait $p 2>/dev/null; eval "R$u=$((r+1)) Q$u="
                      echo "--- sstpc restarted: it left $q bytes from the server unread for 2 s" >> "%4$s/sstpc-$u.log"
                      echo "restarted $u"; start $u "$(eval echo "\\$U$u")"
                    else
                      eval "Q$u=$q"
                    fi
                  done
                  [ $n -eq %2$d ] && break
                  sleep 0.5
                done
                echo up $n
                echo down $(for u in %1$s; do [ -e "%4$s/up-ppp$u" ] || echo $u; done)
                """.formatted(units, count, steps, dir);
    }

    /** The sessions that did not come up in {@link #connect}, in order. */
    List<Integer> down() {
        return List.copyOf(down);
    }

    /** How many times {@link #connect} restarted a hung sstpc. */
    int restarts() {
        return restarts;
    }

    /** The output and exit status of a guest command. */
    record Result(int rc, String output) {
        boolean ok() {
            return rc == 0;
        }
    }

    /** Runs a bash script inside the guest and waits for it; rc -1 when it did not finish in time. */
    Result run(String script, Duration timeout) {
        int n = nextCommand++;
        String base = String.format("%03d", n);
        Path cmd = dir.resolve("cmd");
        try {
            Path tmp = cmd.resolve(base + ".tmp");
            Files.writeString(tmp, script, StandardCharsets.UTF_8);
            Files.move(tmp, cmd.resolve(base + ".sh"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot hand the guest a command: " + e.getMessage(), e);
        }
        boolean done = awaitFile("cmd/" + base + ".rc", timeout);
        String out = read("cmd/" + base + ".out");
        if (!done) {
            return new Result(-1, out);
        }
        return new Result(Integer.parseInt(read("cmd/" + base + ".rc").strip()), out);
    }

    /** User+system CPU ticks of every process in the guest's namespace (the UML kernel and its helpers). */
    OptionalLong cpuTicks() {
        long sum = 0;
        io.p2sgw.lab.Cmd.Result r = io.p2sgw.lab.Cmd.run("ip", "netns", "pids", namespace);
        if (!r.ok()) {
            return OptionalLong.empty();
        }
        for (String pid : r.output().lines().map(String::strip).filter(s -> s.matches("\\d{1,10}")).toList()) {
            sum += ProcStatus.cpuTicks(Long.parseLong(pid)).orElse(0);
        }
        return OptionalLong.of(sum);
    }

    /** Logs of session {@code unit} and the guest, for a failure note. */
    String diagnostics(int unit) {
        return "--- guest.log\n" + tail(read("guest.log"), 15) + "\n--- sstpc-" + unit + ".log\n" + tail(read("sstpc-" + unit + ".log"), 15)
                + "\n--- pppd-" + unit + ".log\n" + tail(read("pppd-" + unit + ".log"), 25);
    }

    String diagnostics() {
        return "--- guest.log\n" + tail(read("guest.log"), 20) + "\n--- UML console\n" + process.tail(20);
    }

    Path directory() {
        return dir;
    }

    Optional<String> file(String name) {
        Path f = dir.resolve(name);
        return Files.exists(f) ? Optional.of(read(name)) : Optional.empty();
    }

    private boolean awaitFile(String name, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(dir.resolve(name))) {
                return true;
            }
            if (!process.isAlive()) {
                return Files.exists(dir.resolve(name));
            }
            Measurements.sleep(POLL);
        }
        return false;
    }

    private String read(String name) {
        try {
            Path f = dir.resolve(name);
            // sstpc's log lines end in NUL bytes: dropped, so notes and RESULTS-sstp.md stay text.
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8).replace("\0", "") : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void write(Path file, String text, boolean executable) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(executable ? "rwx------" : "rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Ends the sessions (sstpc and pppd get SIGTERM in the guest), powers the guest off, kills it if it hangs. */
    @Override
    public void close() {
        try {
            Files.writeString(dir.resolve("cmd/quit"), "");
        } catch (IOException ignored) {
            // the process is killed below anyway
        }
        awaitFile("done", Duration.ofSeconds(15));
        process.close();
    }
}
