package io.p2sgw.bench;

import io.p2sgw.bench.ClientProfile.Proto;
import io.p2sgw.bench.ClientProfile.Wrap;
import io.p2sgw.lab.BackgroundProcess;
import io.p2sgw.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The stock {@code openvpn} 2.6 server in the lab's gateway namespace, configured like p2sgw's OpenVPN service:
 * same address and port, same server certificate and client root, same static key and wrap, AES-256-GCM first
 * among the data ciphers p2sgw offers, topology subnet with the same pool, the VNet route pushed, and
 * {@code keepalive 10 60} (p2sgw pushes ping 10 / ping-restart 60, openvpn.md §9.2). Its management interface
 * (a Unix socket in the config directory) answers the session count.
 */
final class StockOpenVpnServer implements VpnServer {
    static final String CONFIG = "server.conf";
    static final String MANAGEMENT_SOCKET = "management.sock";
    private static final java.util.regex.Pattern NCLIENTS = java.util.regex.Pattern.compile("SUCCESS: nclients=(\\d{1,6}),");
    /** A management answer line is short; anything longer is not one. */
    private static final int MAX_LINE = 4096;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** Enough for the bench's idle sessions; the /24 pool is the real bound, as for p2sgw. */
    static final int MAX_CLIENTS = 1000;

    private final BackgroundProcess process;
    private final Path dir;
    private final Path savedLog;
    private java.nio.channels.SocketChannel management;
    private final java.util.concurrent.BlockingQueue<Integer> managementAnswers = new java.util.concurrent.LinkedBlockingQueue<>();
    private static final Duration MANAGEMENT_TIMEOUT = Duration.ofSeconds(5);

    private StockOpenVpnServer(BackgroundProcess process, Path dir, Path savedLog) {
        this.process = process;
        this.dir = dir;
        this.savedLog = savedLog;
    }

    /** The server configuration; file names are relative to {@code --cd}. */
    static String config(Proto proto, Wrap wrap) {
        StringBuilder sb = new StringBuilder();
        sb.append("local ").append(Lab.GATEWAY_PUBLIC_ADDRESS).append('\n');
        sb.append("port ").append(proto.port()).append('\n');
        sb.append("proto ").append(proto == Proto.TCP ? "tcp-server" : "udp").append('\n');
        sb.append("dev tun\n");
        sb.append("topology subnet\n");
        sb.append("server 172.16.201.0 255.255.255.0\n");
        sb.append("ca ").append(GatewayMain.CLIENT_ROOT).append('\n');
        sb.append("cert ").append(GatewayMain.SERVER_CHAIN).append('\n');
        sb.append("key ").append(GatewayMain.SERVER_KEY).append('\n');
        sb.append("dh none\n");
        sb.append(wrap.option()).append(' ').append(ClientProfile.STATIC_KEY_FILE).append(wrap == Wrap.TLS_AUTH ? " 0" : "").append('\n');
        sb.append("auth SHA256\n");
        sb.append("data-ciphers AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\n");
        sb.append("tls-version-min 1.2\n");
        sb.append("keepalive 10 60\n");
        sb.append("push \"route 10.1.0.0 255.255.0.0\"\n");
        sb.append("max-clients ").append(MAX_CLIENTS).append('\n');
        // The management interface on a Unix socket (reachable from the bench's namespace): "load-stats" gives the
        // live client count at once, where the status file is only rewritten while the event loop has work.
        sb.append("management ").append(MANAGEMENT_SOCKET).append(" unix\n");
        sb.append("verb 3\n");
        return sb.toString();
    }

    /** Writes the config into {@code dir} (which holds the key files) and starts openvpn; waits until it serves. */
    static StockOpenVpnServer start(Lab lab, Path dir, Proto proto, Wrap wrap, Path savedLog) {
        try {
            Files.writeString(dir.resolve(CONFIG), config(proto, wrap));
            Files.deleteIfExists(dir.resolve(MANAGEMENT_SOCKET));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the openvpn server config: " + e.getMessage(), e);
        }
        BackgroundProcess p = lab.background(lab.gatewayNamespace(), "stock-openvpn-" + proto.label(),
                List.of("openvpn", "--cd", dir.toString(), "--config", dir.resolve(CONFIG).toString()));
        StockOpenVpnServer s = new StockOpenVpnServer(p, dir, savedLog);
        if (!p.awaitLog("Initialization Sequence Completed", START_TIMEOUT)) {
            s.close();
            throw new IllegalStateException("stock openvpn server did not start:\n" + p.tail(30));
        }
        return s;
    }

    @Override
    public String label() {
        return "stock openvpn";
    }

    @Override
    public Memory memory() {
        return new Memory(OptionalLong.empty(), ProcStatus.rssBytes(process.pid()), sessions());
    }

    /**
     * Live clients, from the management interface's {@code load-stats} ("SUCCESS: nclients=N,bytesin=...,bytesout=...").
     * One connection for the server's lifetime: openvpn re-creates its Unix listening socket after each client, and
     * a quick reconnect can land on the old one and wait forever.
     */
    @Override
    public synchronized OptionalInt sessions() {
        try {
            if (management == null) {
                management = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
                management.connect(java.net.UnixDomainSocketAddress.of(dir.resolve(MANAGEMENT_SOCKET)));
                java.nio.channels.SocketChannel ch = management;
                Thread.ofVirtual().name("openvpn-management-reader").start(() -> {
                    try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                            java.nio.channels.Channels.newInputStream(ch), java.nio.charset.StandardCharsets.US_ASCII))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            parseLoadStats(line).ifPresent(managementAnswers::add);
                        }
                    } catch (IOException ignored) {
                        // closed with the server
                    }
                });
            }
            managementAnswers.clear();
            management.write(java.nio.ByteBuffer.wrap("load-stats\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            Integer n = managementAnswers.poll(MANAGEMENT_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return n == null ? OptionalInt.empty() : OptionalInt.of(n);
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** The client count of a {@code load-stats} answer line, or empty for any other line. */
    static OptionalInt parseLoadStats(String line) {
        if (line.length() > MAX_LINE) {
            return OptionalInt.empty();
        }
        java.util.regex.Matcher m = NCLIENTS.matcher(line);
        return m.lookingAt() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String tail() {
        return process.tail(30);
    }

    @Override
    public synchronized void close() {
        if (management != null) {
            try {
                management.close();
            } catch (IOException ignored) {
                // the server goes away anyway
            }
        }
        process.close();
        try {
            Files.writeString(savedLog, process.logText());
        } catch (IOException e) {
            // only a copy for reading afterwards
        }
    }
}
