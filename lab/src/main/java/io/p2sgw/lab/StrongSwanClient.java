package io.p2sgw.lab;

import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stock strongSwan 5.9.8 client (charon-systemd + swanctl) in a client namespace of the lab, started with a
 * swanctl directory as the client package lays it out ({@code strongSwan/}: {@code swanctl.conf}, {@code x509ca/})
 * plus the client's certificate and key. Everything charon writes stays in the client's own directory
 * (lab/README.md "Hazards"): its own {@code STRONGSWAN_CONF}, the vici socket, its log, and the resolve plugin's
 * file, so the host's {@code /etc/resolv.conf} is never touched. The kernel here has no ESP, so charon uses
 * {@code kernel-libipsec} (userspace ESP over a TUN device, ikev2.md §0.7). The lab kills charon on close.
 */
public final class StrongSwanClient implements AutoCloseable {
    /** Where the package puts the client certificate and key (control's SwanctlRenderer). */
    public static final String CLIENT_CERT = "x509/client.pem";
    public static final String CLIENT_KEY = "private/client.key";
    private static final Duration VICI_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern VIRTUAL_IP = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/\\d+");
    private static final Pattern CONNECTION = Pattern.compile("(?m)^\\s{2}(\\S+)\\s*\\{");
    private static final AtomicInteger STARTS = new AtomicInteger();

    private final Lab lab;
    private final String namespace;
    private final Path dir;
    private final BackgroundProcess charon;
    private final String connection;

    private StrongSwanClient(Lab lab, String namespace, Path dir, BackgroundProcess charon, String connection) {
        this.lab = lab;
        this.namespace = namespace;
        this.dir = dir;
        this.charon = charon;
        this.connection = connection;
    }

    /** Why the stock strongSwan client cannot run here (charon-systemd and swanctl, scripts/install-deps.sh). */
    public static Optional<String> whyUnavailable() {
        return Files.isExecutable(Path.of("/usr/sbin/charon-systemd")) ? Optional.empty()
                : Optional.of("strongSwan is not installed (scripts/install-deps.sh installs charon-systemd and swanctl)");
    }

    /**
     * Copies {@code packageDir} (the package's {@code strongSwan/} folder) into a directory of its own, adds the
     * client's certificate and key where the profile expects them, starts charon in client namespace {@code i} and
     * loads the profile. Connect with {@link #initiate}.
     */
    public static StrongSwanClient start(Lab lab, int i, Path packageDir, KeyAndChain cert) {
        return start(lab, lab.clientNamespace(i), "c" + i, packageDir, cert, false);
    }

    /**
     * The same in any namespace of the lab (a client behind a NAT router, {@link Lab#addClientBehindNat}); {@code label}
     * names its directory and log.
     */
    public static StrongSwanClient start(Lab lab, String namespace, String label, Path packageDir, KeyAndChain cert) {
        return start(lab, namespace, label, packageDir, cert, false);
    }

    /**
     * As {@link #start}, but the client authenticates with EAP-TLS inside IKE_AUTH (RFC 7296 §2.16), the way Windows'
     * built-in client does with certificates: the profile's {@code local { auth = pubkey }} becomes
     * {@code auth = eap-tls} (strongSwan's eap-tls plugin, libcharon-extra-plugins), same certificate; the gateway
     * still authenticates with its certificate ({@code remote { auth = pubkey }}).
     */
    public static StrongSwanClient startEapTls(Lab lab, int i, Path packageDir, KeyAndChain cert) {
        return start(lab, lab.clientNamespace(i), "c" + i, packageDir, cert, true);
    }

    private static StrongSwanClient start(Lab lab, String namespace, String label, Path packageDir, KeyAndChain cert,
                                          boolean eapTls) {
        Path dir = lab.newDirectory("strongswan-" + label + "-" + STARTS.incrementAndGet());
        try {
            copyTree(packageDir, dir);
            if (eapTls) {
                Path conf = dir.resolve("swanctl.conf");
                Files.writeString(conf, localAuthEapTls(Files.readString(conf, StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8);
            }
            Files.createDirectories(dir.resolve("x509"));
            Files.createDirectories(dir.resolve("private"));
            Files.writeString(dir.resolve(CLIENT_CERT), Certificates.toPem(cert.certificate()), StandardCharsets.UTF_8);
            Path key = dir.resolve(CLIENT_KEY);
            Files.writeString(key, Pem.privateKeyToPem(cert.key()), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("strongswan.conf"), strongswanConf(dir), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot prepare strongSwan's directory " + dir + ": " + e.getMessage(), e);
        }
        String connection;
        try {
            Matcher m = CONNECTION.matcher(Files.readString(dir.resolve("swanctl.conf"), StandardCharsets.UTF_8));
            connection = m.find() ? m.group(1) : "p2s";
        } catch (IOException e) {
            throw new LabException("the package has no readable swanctl.conf: " + e.getMessage(), e);
        }
        BackgroundProcess charon = lab.background(namespace, "charon-" + label + "-" + dir.getFileName(),
                List.of("env", "STRONGSWAN_CONF=" + dir.resolve("strongswan.conf"), "/usr/sbin/charon-systemd"));
        StrongSwanClient c = new StrongSwanClient(lab, namespace, dir, charon, connection);
        Instant end = Instant.now().plus(VICI_TIMEOUT);
        while (!Files.exists(dir.resolve("charon.vici")) && Instant.now().isBefore(end) && charon.isAlive()) {
            sleep(Duration.ofMillis(100));
        }
        Cmd.Result load = c.swanctl(Duration.ofSeconds(30), "--load-all");
        if (!load.ok()) {
            throw new LabException("swanctl --load-all failed: " + load.output() + "\ncharon: " + c.log());
        }
        return c;
    }

    /** The profile with the {@code local} section's {@code auth = pubkey} turned into {@code auth = eap-tls}. */
    static String localAuthEapTls(String swanctlConf) {
        Matcher m = Pattern.compile("(\\blocal\\s*\\{[^}]*?\\bauth\\s*=\\s*)pubkey").matcher(swanctlConf);
        if (!m.find()) {
            throw new LabException("the profile has no local { auth = pubkey } to turn into EAP-TLS");
        }
        return m.replaceFirst("$1eap-tls");
    }

    /**
     * A lab client's own settings: three retransmissions so a refusal shows quickly; make-before-break
     * reauthentication, which sets up the new IKE SA before deleting the old one (the gateway readmits it into the live
     * session, keeping its address), as Windows and Apple clients do.
     */
    private static final List<String> CLIENT_SETTINGS = List.of("retransmit_tries = 3", "make_before_break = yes");
    /** A lab client's log: IKE and configuration in detail, for a failing test's message. */
    private static final List<String> CLIENT_LOG = List.of("default = 1", "ike = 2", "cfg = 2");

    /** strongSwan's settings for a lab client ({@link #strongswanConf(Path, List, List)} with the client's own). */
    static String strongswanConf(Path dir) {
        return strongswanConf(dir, CLIENT_SETTINGS, CLIENT_LOG);
    }

    /**
     * strongswan.conf for a charon of the lab (a client here, or the bench's load clients and responder): every
     * installed plugin, kernel-libipsec for ESP (this kernel has none, ikev2.md §0.7), and the vici socket, the
     * resolve plugin's file (never the host's /etc/resolv.conf, lab/README.md "Hazards") and the log all in
     * {@code dir}.
     *
     * @param charonSettings {@code key = value} lines at the top of the {@code charon} section
     * @param logLevels      {@code default = n} and {@code subsystem = n} lines of the file log
     */
    public static String strongswanConf(Path dir, List<String> charonSettings, List<String> logLevels) {
        List<String> lines = new ArrayList<>(List.of("charon {", "  load_modular = yes"));
        charonSettings.forEach(l -> lines.add("  " + l));
        lines.addAll(List.of(
                "  plugins {",
                "    include /etc/strongswan.d/charon/*.conf",
                "    vici {",
                "      socket = unix://" + dir.resolve("charon.vici"),
                "    }",
                "    kernel-libipsec {",
                "      load = yes",
                "    }",
                "    resolve {",
                "      file = " + dir.resolve("resolv.conf"),
                "    }",
                "  }",
                "}",
                "charon-systemd {",
                "  journal {",
                "    default = -1",
                "  }",
                "  filelog {",
                "    lab {",
                "      path = " + dir.resolve("charon.log")));
        logLevels.forEach(l -> lines.add("      " + l));
        lines.addAll(List.of(
                "      flush_line = yes",
                "    }",
                "  }",
                "}",
                ""));
        return String.join("\n", lines);
    }

    /** {@code swanctl --initiate} of the profile's CHILD SA; the result's output is what swanctl printed. */
    public Cmd.Result initiate(Duration timeout) {
        return swanctl(timeout.plusSeconds(10), "--initiate", "--child", connection, "--timeout",
                Long.toString(Math.max(1, timeout.toSeconds())));
    }

    /** {@code swanctl --list-sas}. */
    public String listSas() {
        return swanctl(Duration.ofSeconds(20), "--list-sas").output();
    }

    /** The virtual IP charon put on its TUN device, if it has one. */
    public Optional<String> virtualAddress() {
        Cmd.Result r = lab.exec(namespace, "ip", "-4", "-o", "addr", "show");
        for (String line : r.output().lines().toList()) {
            if (line.contains(" lo ") || line.contains(" eth0 ")) {
                continue;
            }
            Matcher m = VIRTUAL_IP.matcher(line);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** charon's log so far. */
    public String log() {
        try {
            Path log = dir.resolve("charon.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until charon's log matches {@code pattern}; false on timeout. */
    public boolean awaitLog(Pattern pattern, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (pattern.matcher(log()).find()) {
                return true;
            }
            sleep(Duration.ofMillis(100));
        }
        return pattern.matcher(log()).find();
    }

    /** The resolve plugin's file: where DNS servers from the gateway go instead of the host's resolv.conf. */
    public Path resolvConf() {
        return dir.resolve("resolv.conf");
    }

    /** The namespace charon runs in. */
    public String namespace() {
        return namespace;
    }

    public String connection() {
        return connection;
    }

    /** {@code swanctl --rekey} of the CHILD SA, or of the IKE SA ({@code reauth}: a full reauthentication). */
    public Cmd.Result rekey(boolean ike, boolean reauth) {
        return reauth ? swanctl(Duration.ofSeconds(30), "--rekey", "--ike", connection, "--reauth")
                : swanctl(Duration.ofSeconds(30), "--rekey", ike ? "--ike" : "--child", connection);
    }

    /** swanctl with this client's settings and vici socket. */
    public Cmd.Result swanctl(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "STRONGSWAN_CONF=" + dir.resolve("strongswan.conf"),
                "SWANCTL_DIR=" + dir, "swanctl"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--uri", "unix://" + dir.resolve("charon.vici")));
        return lab.exec(namespace, timeout, cmd);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The client vanishes: charon is killed (SIGKILL), so no DELETE reaches the gateway, and nothing in the namespace
     * answers its liveness checks any more (dead peer detection, RFC 7296 §2.4).
     */
    public void vanish() {
        ProcessHandle.of(charon.pid()).ifPresent(ProcessHandle::destroyForcibly);
        Instant end = Instant.now().plusSeconds(10);
        while (charon.isAlive() && Instant.now().isBefore(end)) {
            sleep(Duration.ofMillis(50));
        }
    }

    /** Stops charon (SIGTERM; it deletes its SAs on the way out). */
    @Override
    public void close() {
        charon.close();
    }
}
