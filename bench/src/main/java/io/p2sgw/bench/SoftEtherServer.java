package io.p2sgw.bench;

import io.p2sgw.lab.BackgroundProcess;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * SoftEther VPN Server (Debian {@code softether-vpnserver}, or a build given with {@code --softether=PATH}) in the
 * lab's gateway namespace as the SSTP reference, configured non-interactively with {@code vpncmd}:
 *
 * <ul>
 *   <li>the bench's server certificate and key ({@code ServerCertSet}), SSTP on (its default), its OpenVPN off;
 *   <li>the DEFAULT hub with one password user ({@code bench}): SoftEther's SSTP takes MS-CHAPv2, not EAP-TLS;
 *   <li>a local bridge from the hub to a TAP device {@code tap_sebr} in the gateway namespace with 172.16.201.1/24,
 *       so the client reaches the VM 10.1.0.4 through the kernel's forwarding, as p2sgw's clients do through its
 *       TUN; SecureNAT only for its DHCP server (SoftEther's PPP gets the client's address by DHCP on the hub),
 *       its NAT off, gateway 172.16.201.1;
 *   <li>keep-alive and VPN Azure off (no traffic outside the lab; the gateway namespace has no route out anyway).
 * </ul>
 *
 * SoftEther keeps its state in fixed directories (/var/lib/softether, /var/log/softether, /run/softether in Debian's
 * build): it runs in a private mount namespace ({@code unshare -m}) with the lab's scratch directories bound over
 * them, so nothing of the host's changes and every run starts fresh. {@code vpnserver execsvc} runs in the
 * foreground; it forks once, and the child (the server proper) is the process measured.
 */
final class SoftEtherServer implements VpnServer {
    /** Debian's server binary; the package's wrapper /usr/bin/vpnserver only execs it. */
    static final Path DEBIAN_BINARY = Path.of("/usr/libexec/softether/vpnserver/vpnserver");
    static final String HAMCORE = "hamcore.se2";
    static final Path DEBIAN_HAMCORE = Path.of("/usr/share/softether-common/hamcore.se2");
    static final String HUB = "DEFAULT";
    static final String USER = "bench";
    /** The bridge's TAP device is "tap_" + this (SoftEther's naming on Linux). */
    static final String BRIDGE = "sebr";
    static final String TAP = "tap_" + BRIDGE;
    static final String ADMIN = "localhost:5555";
    /** SoftEther's SecureNAT virtual host (DHCP server) on the hub, next to the gateway's 172.16.201.1. */
    static final String DHCP_HOST = "172.16.201.2";
    private static final List<String> STATE_DIRS = List.of("/var/lib/softether", "/var/log/softether", "/run/softether");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration VPNCMD_TIMEOUT = Duration.ofSeconds(60);

    private final Lab lab;
    private final BackgroundProcess process;
    private final Path dir;
    private final Path savedLog;
    private final String password;
    private long serverPid;

    private SoftEtherServer(Lab lab, BackgroundProcess process, Path dir, Path savedLog, String password) {
        this.lab = lab;
        this.process = process;
        this.dir = dir;
        this.savedLog = savedLog;
        this.password = password;
    }

    /** Why SoftEther cannot run here, if it cannot. */
    static java.util.Optional<String> whyUnavailable(Path binary) {
        if (!Files.isExecutable(binary)) {
            return java.util.Optional.of(binary + " is missing (apt-get install --no-install-recommends softether-vpnserver softether-vpncmd)");
        }
        if (!Cmd.run("sh", "-c", "command -v vpncmd").ok()) {
            return java.util.Optional.of("vpncmd is missing (apt-get install --no-install-recommends softether-vpncmd)");
        }
        return java.util.Optional.empty();
    }

    /**
     * Starts {@code binary} in the gateway namespace and configures it.
     *
     * @param certPem the server certificate (PEM; SoftEther sends the first, the leaf)
     * @param keyPem its private key (PEM)
     */
    static SoftEtherServer start(Lab lab, Path binary, Path certPem, Path keyPem, String password, Path savedLog) {
        Path dir = lab.newDirectory("softether");
        StringBuilder sh = new StringBuilder("#!/bin/sh\nset -e\nmount --make-rprivate /\n");
        for (int i = 0; i < STATE_DIRS.size(); i++) {
            Path own = dir.resolve("state" + i);
            sh.append("mkdir -p ").append(own).append(' ').append(STATE_DIRS.get(i)).append('\n');
            sh.append("mount --bind ").append(own).append(' ').append(STATE_DIRS.get(i)).append('\n');
        }
        // A build from source keeps its state next to the binary (and needs its hamcore.se2 there): run a copy.
        Path exe = dir.resolve("vpnserver");
        try {
            Files.copy(binary, exe);
            Files.createSymbolicLink(dir.resolve("hamcore.se2"), hamcore(binary).toRealPath());
            sh.append("exec ").append(exe).append(" execsvc\n");
            Files.writeString(dir.resolve("start.sh"), sh.toString());
            dir.resolve("start.sh").toFile().setExecutable(true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare SoftEther in " + dir + ": " + e.getMessage(), e);
        }
        BackgroundProcess p = lab.background(lab.gatewayNamespace(), "softether", List.of("unshare", "-m", dir.resolve("start.sh").toString()));
        SoftEtherServer s = new SoftEtherServer(lab, p, dir, savedLog, password);
        try {
            s.awaitAdmin();
            s.configure(certPem, keyPem);
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * SoftEther's resource archive: next to the binary (Debian's is a link to softether-common's), else Debian's
     * (a build from source of the same version does not make one unless asked).
     */
    static Path hamcore(Path binary) throws IOException {
        for (Path p : List.of(binary.toRealPath().resolveSibling(HAMCORE), binary.resolveSibling(HAMCORE), DEBIAN_HAMCORE)) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IOException("no " + HAMCORE + " next to " + binary + " nor at " + DEBIAN_HAMCORE + " (softether-common)");
    }

    private void awaitAdmin() {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < end && process.isAlive()) {
            Cmd.Result r = vpncmd(List.of("/CMD", "ServerInfoGet"));
            if (r.ok() && r.output().contains("The command completed successfully.")) {
                serverPid = childPid(process.pid()).orElse(process.pid());
                return;
            }
            last = r.output();
            Measurements.sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("SoftEther's admin port did not answer: " + tail(last, 10) + "\n" + process.tail(20));
    }

    /** The vpncmd script (one command a line, {@code /IN:}); every command must complete. */
    static List<String> commands(Path cert, Path key, String password) {
        return List.of(
                "ServerCertSet /LOADCERT:" + cert + " /LOADKEY:" + key,
                "ProtoOptionsSet OpenVPN /NAME:Enabled /VALUE:false",
                "KeepDisable",
                "VpnAzureSetEnable no",
                "Hub " + HUB,
                "UserCreate " + USER + " /GROUP:none /REALNAME:none /NOTE:none",
                "UserPasswordSet " + USER + " /PASSWORD:" + password,
                "SecureNatEnable",
                "NatDisable",
                "SecureNatHostSet /MAC:none /IP:" + DHCP_HOST + " /MASK:255.255.255.0",
                "DhcpSet /START:172.16.201.10 /END:172.16.201.250 /MASK:255.255.255.0 /EXPIRE:7200 /GW:172.16.201.1 /DNS:none /DNS2:none /DOMAIN:none /LOG:no",
                "BridgeCreate " + HUB + " /DEVICE:" + BRIDGE + " /TAP:yes");
    }

    private void configure(Path cert, Path key) {
        Path in = dir.resolve("config.vpncmd");
        List<String> cmds = commands(cert, key, password);
        try {
            Files.writeString(in, String.join("\n", cmds) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + in + ": " + e.getMessage(), e);
        }
        Cmd.Result r = vpncmd(List.of("/IN:" + in));
        long completed = r.output().lines().filter(l -> l.contains("The command completed successfully.")).count();
        if (completed != cmds.size()) {
            throw new IllegalStateException("vpncmd configured " + completed + " of " + cmds.size() + " settings:\n" + tail(r.output(), 40));
        }
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!lab.exec(lab.gatewayNamespace(), "ip", "link", "show", TAP).ok()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("SoftEther's bridge device " + TAP + " did not appear");
            }
            Measurements.sleep(Duration.ofMillis(250));
        }
        lab.exec(lab.gatewayNamespace(), "ip", "addr", "add", "172.16.201.1/24", "dev", TAP).orThrow();
        lab.exec(lab.gatewayNamespace(), "ip", "link", "set", TAP, "up").orThrow();
    }

    private Cmd.Result vpncmd(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("vpncmd", ADMIN, "/SERVER"));
        cmd.addAll(args);
        return lab.exec(lab.gatewayNamespace(), VPNCMD_TIMEOUT, cmd);
    }

    /** The first child of {@code pid}: {@code execsvc} forks once and the child is the server proper. */
    static OptionalLong childPid(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.children().findFirst()).map(h -> OptionalLong.of(h.pid())).orElse(OptionalLong.empty());
    }

    String password() {
        return password;
    }

    @Override
    public String label() {
        return "SoftEther";
    }

    @Override
    public Memory memory() {
        return new Memory(OptionalLong.empty(), ProcStatus.rssBytes(serverPid), sessions());
    }

    /**
     * SSTP sessions on the hub: {@code SessionList} in CSV, the rows of our user (the hub's own SecureNAT and
     * bridge sessions are not counted).
     */
    @Override
    public OptionalInt sessions() {
        Cmd.Result r = vpncmd(List.of("/HUB:" + HUB, "/CSV", "/CMD", "SessionList"));
        if (!r.ok()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(countUserSessions(r.output(), USER));
    }

    /** Rows of a {@code SessionList /CSV} output whose user name column is {@code user}. */
    static int countUserSessions(String csv, String user) {
        int n = 0;
        for (String line : csv.lines().toList()) {
            String[] f = line.split(",");
            // Session Name,VLAN ID,Location,User Name,Source Host Name,TCP Connections,Transfer Bytes,Transfer Packets
            if (f.length >= 4 && f[3].equals(user)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public long pid() {
        return serverPid;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String tail() {
        return process.tail(30) + "\n" + serverLog(30);
    }

    /** The end of SoftEther's own server log (state1 is /var/log/softether). */
    String serverLog(int lines) {
        try (var files = Files.list(dir.resolve("state1").resolve("server_log"))) {
            List<Path> logs = files.sorted().toList();
            if (logs.isEmpty()) {
                return "";
            }
            return tail(Files.readString(logs.getLast()), lines);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        process.close();
        // execsvc's child can outlive a killed parent: end it too, by its own pid.
        if (serverPid != 0 && serverPid != process.pid()) {
            ProcessHandle.of(serverPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
            Files.writeString(savedLog, process.logText() + "\n--- SoftEther server log\n" + serverLog(400));
        } catch (IOException ignored) {
            // only a copy for reading afterwards
        }
    }
}
