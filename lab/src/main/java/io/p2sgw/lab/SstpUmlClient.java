package io.p2sgw.lab;

import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stock SSTP client, {@code sstpc} 1.0.18 driving {@code pppd} 2.4.9 with EAP-TLS, inside User-Mode Linux in a lab
 * client namespace (lab/README.md "A second kernel with PPP": this host's kernel has no PPP, UML's has). The guest
 * mounts the host's root read-write through hostfs, so it reads its credentials from and writes every result into
 * this client's own scratch directory, which the test reads:
 *
 * <ul>
 *   <li>{@code sstpc.log}, {@code pppd.log}: the clients' logs ({@code --log-level 4}, {@code debug});
 *   <li>{@code ip-up.args}: written by pppd's ip-up script once IPCP is up (the tunnel's sign of life);
 *   <li>{@code ppp0.txt}: {@code ip -4 addr show dev ppp0} once IPCP is up (or after the wait gave up);
 *   <li>{@code tcp.txt}: the guest's TCP sockets and sstpc's state when the wait gave up without a tunnel;
 *   <li>{@code stall.txt}: written if sstpc left the gateway's HTTP answer unread and was restarted once (its state
 *       then);
 *   <li>{@code ping.txt}/{@code ping.rc}, {@code http.txt}/{@code http.rc}: ping and an HTTP GET of the VM through
 *       the tunnel;
 *   <li>{@code connected}: written after those checks; the guest then keeps the tunnel while {@code hold} exists
 *       (see {@link #release()}) and ppp0 exists, and writes {@code pppd-gone} if ppp0 went away on its own (the
 *       server ended the call);
 *   <li>{@code done}: the guest is powering off.
 * </ul>
 *
 * Network: a tap device in the client namespace (192.0.2.4(i-1)+1/30) that the guest's {@code eth0} uses, IP forwarding
 * in the namespace, and a route back to the guest's /30 in the namespace of the gateway (instance) it calls. Everything lives in the lab's
 * namespaces and scratch directory, so {@link Lab#close()} removes it also on failure; the UML process runs under
 * {@code timeout}. pppd's {@code usepeerdns} is never used (the host's /etc/resolv.conf must not change), and
 * pppd's ip-up/ip-down scripts are replaced by the scratch directory's own.
 */
public final class SstpUmlClient implements AutoCloseable {
    /** Where Debian's user-mode-linux package keeps the guest kernel's modules. */
    static final Path UML_MODULES = Path.of("/usr/lib/uml/modules");
    private static final Pattern PPP_ADDRESS = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+) peer (\\d+\\.\\d+\\.\\d+\\.\\d+)");

    private final Path dir;
    private final BackgroundProcess process;

    private SstpUmlClient(Path dir, BackgroundProcess process) {
        this.dir = dir;
        this.process = process;
    }

    /** Why the UML client cannot run here (packages user-mode-linux, sstp-client, ppp; scripts/install-deps.sh). */
    public static Optional<String> whyUnavailable() {
        for (String tool : List.of("linux.uml", "sstpc", "pppd", "timeout")) {
            if (!Cmd.run("sh", "-c", "command -v " + tool).ok()) {
                return Optional.of(tool + " is not installed (apt-get install --no-install-recommends user-mode-linux kmod "
                        + "sstp-client ppp)");
            }
        }
        if (!Files.isDirectory(UML_MODULES)) {
            return Optional.of(UML_MODULES + " is missing (user-mode-linux)");
        }
        return Optional.empty();
    }

    /**
     * Boots a guest in client namespace {@code client} that connects to {@code server}:443 with EAP-TLS.
     *
     * @param serverCa the PEM the client trusts for the gateway's certificate (outer TLS and EAP-TLS)
     * @param cert the client's certificate and key
     * @param hold keep the tunnel up after the checks until {@link #release()} (or the time limit)
     * @param limit the guest's whole life, boot to power-off
     */
    public static SstpUmlClient start(Lab lab, int client, String server, String serverCa, KeyAndChain cert,
            boolean hold, Duration limit) {
        return start(lab, client, lab.gatewayNamespace(), server, serverCa, cert, hold, limit);
    }

    /**
     * The same against gateway instance {@code instance} of a several-instance lab ({@link Lab#addGatewayInstance}):
     * sstpc connects to that instance's public address, and the route back to the guest goes into that instance's
     * namespace (an SSTP call is one TCP connection to one instance, which answers the guest directly).
     */
    public static SstpUmlClient startOnInstance(Lab lab, int client, int instance, String serverCa, KeyAndChain cert,
            boolean hold, Duration limit) {
        return start(lab, client, lab.gatewayNamespace(instance), Lab.gatewayPublicAddress(instance), serverCa, cert,
                hold, limit);
    }

    private static SstpUmlClient start(Lab lab, int client, String gatewayNamespace, String server, String serverCa,
            KeyAndChain cert, boolean hold, Duration limit) {
        String ns = lab.clientNamespace(client);
        int base = 4 * (client - 1);
        String tap = "192.0.2." + (base + 1);
        String guest = "192.0.2." + (base + 2);
        String net = "192.0.2." + base + "/30";
        // The namespace plays the client's home router: tap0 towards the guest, eth0 to the "internet".
        if (!lab.exec(ns, "ip", "link", "show", "tap0").ok()) {
            lab.exec(ns, "ip", "tuntap", "add", "dev", "tap0", "mode", "tap").orThrow();
            lab.exec(ns, "ip", "addr", "add", tap + "/30", "dev", "tap0").orThrow();
            lab.exec(ns, "ip", "link", "set", "tap0", "up").orThrow();
            lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1").orThrow();
        }
        // Outside the tap's set-up: a later guest in the same namespace may call another instance.
        lab.exec(gatewayNamespace, "ip", "route", "replace", net, "via", lab.clientAddress(client)).orThrow();
        Path dir = lab.newDirectory("sstp-c" + client + "-" + Long.toHexString(System.nanoTime()));
        try {
            write(dir.resolve("ca.pem"), serverCa, false);
            write(dir.resolve("client.pem"), Pem.certificatesToPem(cert.chain()), false);
            write(dir.resolve("client.key"), Pem.privateKeyToPem(cert.key()), false);
            write(dir.resolve("ip-up"), "#!/bin/sh\necho \"$@\" > \"" + dir + "/ip-up.args\"\n", true);
            write(dir.resolve("ip-down"), "#!/bin/sh\nexit 0\n", true);
            write(dir.resolve("pppd.options"), pppdOptions(dir), false);
            write(dir.resolve("init.sh"), initScript(dir, guest, tap, server, user(cert), limit), true);
            if (hold) {
                write(dir.resolve("hold"), "", false);
            }
            if (Boolean.getBoolean("p2sgw.lab.straceSstpc")) {
                write(dir.resolve("strace-sstpc"), "", false);
            }
            Files.createDirectories(dir.resolve("uml"));
        } catch (IOException e) {
            throw new LabException("cannot write the SSTP client's files in " + dir + ": " + e.getMessage(), e);
        }
        long secs = Math.max(30, limit.toSeconds());
        String uml = "exec timeout -k 5 " + secs + " linux.uml mem=256M rootfstype=hostfs rootflags=/ rw init=" + dir
                + "/init.sh con=null con0=fd:0,fd:1 eth0=tuntap,tap0 uml_dir=" + dir + "/uml umid=sstp </dev/null";
        BackgroundProcess p = lab.background(ns, dir.getFileName() + "-uml", List.of("bash", "-c", uml));
        return new SstpUmlClient(dir, p);
    }

    private static String user(KeyAndChain cert) {
        String cn = io.p2sgw.pki.Certificates.commonName(cert.certificate());
        return cn.replaceAll("[^A-Za-z0-9._@-]", "_");
    }

    /**
     * pppd's options (sstp.md §6.2): EAP-TLS only, with the client's certificate and the gateway's CA; {@code noauth}
     * because Debian's /etc/ppp/options says {@code auth}; no compression; our own ip-up/ip-down scripts; never
     * {@code usepeerdns} (lab/README.md "Hazards").
     */
    static String pppdOptions(Path out) {
        return """
                noauth
                refuse-pap
                refuse-chap
                refuse-mschap
                refuse-mschap-v2
                need-peer-eap
                ca %1$s/ca.pem
                cert %1$s/client.pem
                key %1$s/client.key
                noipdefault
                nodefaultroute
                noccp
                nobsdcomp
                nodeflate
                novj
                ip-up-script %1$s/ip-up
                ip-down-script %1$s/ip-down
                debug
                logfile %1$s/pppd.log
                """.formatted(out);
    }

    /**
     * The start of PID 1 in a guest (lab/README.md "A second kernel with PPP"), this client's and the bench's: the
     * guest's output to {@code out/guest.log}, power-off on exit, /proc, /sys, /run and /dev/pts, the PPP modules of
     * Debian's user-mode-linux, {@code eth0} as {@code guest}/30 with {@code tap} as its default gateway; then it writes
     * the time to {@code out/readyFile}. The caller's part of the script follows.
     */
    public static String guestBoot(Path out, String guest, String tap, String readyFile) {
        return """
                #!/bin/bash
                # PID 1 inside User-Mode Linux: PPP modules, eth0 on the tap, then what the guest is for; power off on exit.
                export PATH=/usr/sbin:/usr/bin:/sbin:/bin
                OUT=%1$s
                exec >>"$OUT/guest.log" 2>&1
                off() { sync; echo o > /proc/sysrq-trigger; sleep 10; }
                trap off EXIT
                mount -t proc proc /proc
                mount -t sysfs sys /sys
                mount -t tmpfs tmpfs /run
                mkdir -p /run/sstpc /dev/pts
                mountpoint -q /dev/pts || mount -t devpts devpts /dev/pts
                M=%4$s/$(uname -r)/kernel
                for m in lib/crc-ccitt drivers/net/slip/slhc drivers/net/ppp/ppp_generic drivers/net/ppp/ppp_async; do
                  insmod "$M/$m.ko" || echo "insmod $m failed"
                done
                ip link set lo up
                ip addr add %2$s/30 dev eth0
                ip link set eth0 up
                ip route add default via %3$s
                date +%%s.%%N > "$OUT/%5$s"
                """.formatted(out, guest, tap, UML_MODULES, readyFile);
    }

    /** PID 1 of the guest (lab/README.md): {@link #guestBoot}, then sstpc + pppd with EAP-TLS (sstp.md §6.2), checks. */
    static String initScript(Path out, String guest, String tap, String server, String user, Duration limit) {
        return guestBoot(out, guest, tap, "booted") + """
                # Never usepeerdns: it would rewrite the host's /etc/resolv.conf through hostfs (lab/README.md).
                # sstpc 1.0.18 builds pppd's argv in a fixed array of 20 (src/sstp-pppd.c): the options go in a file.
                # -Dp2sgw.lab.straceSstpc=true: every system call of sstpc to sstpc.strace (for a client that stalls).
                [ -e "$OUT/strace-sstpc" ] && STRACE_SSTPC=1
                sstpc_start() {
                  ${STRACE_SSTPC:+strace -f -tt -o "$OUT/sstpc.strace$1"} \\
                  sstpc --log-stderr --log-level 4 --ca-cert "$OUT/ca.pem" --ipparam p2sgw --user %5$s %4$s:443 -- \\
                    file "$OUT/pppd.options" >> "$OUT/sstpc.log" 2>&1 &
                  SSTPC=$!
                }
                # Bytes the server sent that sstpc has not read (Recv-Q of its connection to port 443).
                unread() { ss -Htn '( dport = :443 )' | awk '{ print $2; exit }'; }
                # Where sstpc stands: its state, the call it sleeps in, its descriptors and what its epoll set watches.
                sstpc_state() { for p in $(pgrep -x sstpc); do
                  echo "--- sstpc $p: $(grep State /proc/$p/status), wchan $(cat /proc/$p/wchan), syscall $(cat /proc/$p/syscall)"
                  ls -l /proc/$p/fd; for f in /proc/$p/fdinfo/*; do grep -q tfd "$f" && { echo "$f:"; cat "$f"; }; done
                  done; }
                # 5 ms on the guest's way out, as any real network has. On the bare 0.07 ms link the gateway's first
                # TLS flight can be there before sstpc's first read, which sstpc 1.0.18 does not survive (below).
                if insmod "$M/net/sched/sch_netem.ko" && tc qdisc add dev eth0 root netem delay 5ms; then
                  echo "eth0: netem delay 5ms"
                else
                  echo "eth0: no netem, no added delay"
                fi
                sstpc_start
                # pppd runs our ip-up script once IPCP is up and ppp0 is configured and up; stop waiting if sstpc ended.
                # sstpc 1.0.18 hangs when the gateway's first TLS flight is there before sstpc's first read: that
                # SSL_write then finishes the handshake and the SSTP_DUPLEX_POST at once, sstp_client_connected ignores
                # the synchronous success and nothing arms the receive (src/sstp-http.c, src/sstp-client.c). The HTTP 200
                # stays unread in its socket (about one client in twenty on a 0.07 ms link). Such a client is stopped
                # and started again, at most three times, with its state (epoll set, sockets) in stall.txt.
                LAST=; STALLS=0
                for i in $(seq 1 %6$d); do
                  [ -e "$OUT/ip-up.args" ] && break
                  kill -0 $SSTPC 2>/dev/null || break
                  if [ $((i %% 4)) -eq 0 ] && [ $STALLS -lt 3 ] && ! pgrep -x pppd > /dev/null; then
                    Q=$(unread)
                    if [ -n "$Q" ] && [ "$Q" != 0 ] && [ "$Q" = "$LAST" ]; then
                      STALLS=$((STALLS + 1))
                      { echo "sstpc left $Q bytes from the gateway unread for 2 s before pppd started; restarting it" \\
                          "(restart $STALLS of at most 3)"
                        date; ss -tnio; sstpc_state; } >> "$OUT/stall.txt" 2>&1
                      kill -9 $SSTPC; wait $SSTPC 2>/dev/null
                      echo "--- sstpc restarted after a stall (stall.txt)" >> "$OUT/sstpc.log"
                      sstpc_start .$((STALLS + 1)); Q=
                    fi
                    LAST=$Q
                  fi
                  sleep 0.5
                done
                ip -4 addr show dev ppp0 > "$OUT/ppp0.txt" 2>&1
                # No tunnel: where the guest's TCP connections stand, for the diagnostics (Recv-Q: bytes sstpc has not
                # read; CLOSE-WAIT: the server closed and sstpc did not notice).
                [ -e "$OUT/ip-up.args" ] || { ss -tnio; cat /proc/net/tcp; sstpc_state; } > "$OUT/tcp.txt" 2>&1
                if [ -e "$OUT/ip-up.args" ]; then
                  ip route add 10.1.0.0/16 dev ppp0
                  ping -c 3 -W 3 10.1.0.4 > "$OUT/ping.txt" 2>&1; echo $? > "$OUT/ping.rc"
                  curl -sS --max-time 10 http://10.1.0.4/ > "$OUT/http.txt" 2> "$OUT/http.err"; echo $? > "$OUT/http.rc"
                fi
                date +%%s.%%N > "$OUT/connected"
                # Hold the tunnel while the test wants it and pppd's ppp0 exists (it goes when pppd ends).
                while [ -e "$OUT/hold" ] && [ -e /sys/class/net/ppp0 ]; do sleep 0.2; done
                [ -e /sys/class/net/ppp0 ] || date +%%s.%%N > "$OUT/pppd-gone"
                pkill -TERM pppd; pkill -TERM sstpc
                for i in $(seq 1 20); do pgrep -x pppd > /dev/null || pgrep -x sstpc > /dev/null || break; sleep 0.25; done
                date +%%s.%%N > "$OUT/done"
                """.formatted(out, guest, tap, server, user, Math.max(20, (int) (limit.toSeconds() - 20)));
    }

    private static void write(Path file, String text, boolean executable) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                executable ? "rwx------" : "rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** The client's scratch directory (results, logs). */
    public Path directory() {
        return dir;
    }

    public BackgroundProcess process() {
        return process;
    }

    /** Waits until the guest has run its checks ({@code connected}) or ended; true if the checks ran. */
    public boolean awaitChecks(Duration timeout) {
        boolean ran = awaitFile("connected", timeout);
        stall().ifPresent(why -> System.err.println("[lab] " + dir.getFileName() + ": " + why));
        return ran;
    }

    /**
     * Why the guest restarted sstpc, if it did: sstpc left the gateway's HTTP answer unread before pppd started (the
     * first line of {@code stall.txt}; the rest holds sstpc's state at that moment).
     */
    public Optional<String> stall() {
        String text = read("stall.txt");
        return text.isEmpty() ? Optional.empty() : Optional.of(text.lines().findFirst().orElse(""));
    }

    /** Waits until the guest is powering off ({@code done}) or its process ended. */
    public boolean awaitDone(Duration timeout) {
        return awaitFile("done", timeout);
    }

    /** Waits for pppd to end while the tunnel is held (the server ended the call). */
    public boolean awaitPppdGone(Duration timeout) {
        return awaitFile("pppd-gone", timeout);
    }

    private boolean awaitFile(String name, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (Files.exists(dir.resolve(name))) {
                return true;
            }
            if (!process.isAlive()) {
                return Files.exists(dir.resolve(name));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Lets the guest end its held tunnel and power off. */
    public void release() {
        try {
            Files.deleteIfExists(dir.resolve("hold"));
        } catch (IOException e) {
            throw new LabException("cannot remove the hold file: " + e.getMessage(), e);
        }
    }

    /** The client's address on ppp0 (IPCP), if it came up. */
    public Optional<String> tunnelAddress() {
        Matcher m = PPP_ADDRESS.matcher(read("ppp0.txt"));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The server's tunnel address as pppd set it (the peer of ppp0). */
    public Optional<String> peerAddress() {
        Matcher m = PPP_ADDRESS.matcher(read("ppp0.txt"));
        return m.find() ? Optional.of(m.group(2)) : Optional.empty();
    }

    public boolean pingSucceeded() {
        return read("ping.rc").strip().equals("0");
    }

    public Optional<String> httpBody() {
        return read("http.rc").strip().equals("0") ? Optional.of(read("http.txt")) : Optional.empty();
    }

    public String sstpcLog() {
        return read("sstpc.log");
    }

    public String pppdLog() {
        return read("pppd.log");
    }

    /** Everything a failure message needs: the guest's, sstpc's and pppd's logs and the UML console. */
    public String diagnostics() {
        return "--- guest.log\n" + tail(read("guest.log"), 30) + "\n--- sstpc.log\n" + tail(sstpcLog(), 60)
                + "\n--- pppd.log\n" + tail(pppdLog(), 60) + "\n--- ppp0.txt\n" + read("ppp0.txt") + "\n--- tcp.txt\n"
                + read("tcp.txt") + "\n--- stall.txt\n" + read("stall.txt") + "\n--- ping.txt\n"
                + read("ping.txt") + "\n--- UML console\n" + process.tail(20);
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private String read(String name) {
        try {
            Path f = dir.resolve(name);
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the guest (its process tree) if it still runs. */
    @Override
    public void close() {
        release();
        process.close();
    }
}
