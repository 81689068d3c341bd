package io.p2sgw.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TrustedCertificate;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.core.DataPlaneConfig;
import io.p2sgw.dataplane.core.GatewayDataPlane;
import io.p2sgw.dataplane.core.SocketPollers;
import io.p2sgw.dataplane.transport.StreamAcceptor;
import io.p2sgw.dataplane.tun.LinuxTun;
import io.p2sgw.ikev2.server.IkeV2ServerConfig;
import io.p2sgw.ikev2.server.IkeV2Service;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.Lab;
import io.p2sgw.openvpn.server.OpenVpnServerConfig;
import io.p2sgw.openvpn.server.OpenVpnStreamProtocol;
import io.p2sgw.openvpn.server.OpenVpnUdpService;
import io.p2sgw.openvpn.wire.StaticKey;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.Pem;
import io.p2sgw.sstp.server.SstpServerConfig;
import io.p2sgw.sstp.server.SstpStreamProtocol;
import io.p2sgw.tls.CryptoProviders;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The p2sgw side of the benchmark, run by {@link BenchMain} as its own JVM inside the lab's gateway namespace
 * ({@code ip netns exec <gw> java ... io.p2sgw.bench.GatewayMain <dir> <tun>}), so that it sits exactly where the
 * stock openvpn server sits and its heap holds nothing but the gateway. It runs the data-plane core with the
 * OpenVPN protocol (TCP 443, UDP 1194 on 198.51.100.4), IKEv2 (UDP 500/4500) and a snapshot applied by hand, like
 * interop's DataPlaneOpenVpnInteropTest, without the control plane. With a third argument {@code sstp} it serves
 * SSTP alone on TCP 443 instead ({@code SstpStreamProtocol}, the snapshot's one tunnel type SSTP), for the
 * SSTP comparison ({@link SstpBench}).
 *
 * <p>Talks over stdin/stdout, one line each: prints {@code ready} once serving; answers {@code mem} with
 * {@code mem <heap bytes used after GC> <sessions>}, {@code sessions} with {@code sessions <n>} and
 * {@code histogram} with {@code histogram <file>} (the live-object class histogram written there); exits on
 * {@code quit} or end of input. Logs go to stderr.
 */
public final class GatewayMain {
    static final String SERVER_CHAIN = "server-chain.pem";
    static final String SERVER_KEY = "server.key";
    static final String CLIENT_ROOT = "client-root.pem";
    static final String STATIC_KEY_HEX = "static-key.hex";
    static final String SERVER_NAME = "vnet1gw.bench.test";
    static final int TUN_MTU = 1500;
    /** Above the bench's largest idle-session count; the /24 pool is the real bound. */
    static final int SESSION_LIMIT = 1000;
    /** Full GCs before reading the heap, so that only live objects remain. */
    private static final int GC_PASSES = 3;

    private GatewayMain() {}

    public static void main(String[] args) throws Exception {
        // Like p2sgw's Main: the gateway's settings, measured as the product runs.
        SocketPollers.preferSystemThreads();
        // p2sgw server's --crypto default; -Dp2sgw.crypto=jdk in the gateway JVM options for an A/B.
        CryptoProviders.Outcome crypto = CryptoProviders.use(CryptoProviders.Choice.parse(System.getProperty("p2sgw.crypto", "fast")));
        System.err.println("GatewayMain: crypto: " + crypto.description());
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: GatewayMain <config dir> <tun name> [openvpn|sstp]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String tunName = args[1];
        // SSTP alone (bench --tunnel=sstp): its sessions get the whole pool, as OpenVPN's do when it runs alone.
        boolean sstp = args.length == 3 && args[2].equals("sstp");
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

        List<X509Certificate> chain = Pem.readCertificates(Files.readString(dir.resolve(SERVER_CHAIN)));
        PrivateKey key = Pem.readPrivateKey(Files.readString(dir.resolve(SERVER_KEY)), Optional.empty());
        X509Certificate root = Pem.readCertificates(Files.readString(dir.resolve(CLIENT_ROOT))).getFirst();
        StaticKey staticKey = StaticKey.of(HexFormat.of().parseHex(Files.readString(dir.resolve(STATIC_KEY_HEX)).strip()));

        System.err.println(java.time.LocalTime.now() + " GatewayMain: keys read, opening TUN " + tunName);
        // Our namespace is the gateway's: the TUN is created here and configured like the stock server's tun0.
        LinuxTun tun = LinuxTun.open(tunName);
        Cmd.run("ip", "addr", "add", "172.16.201.1/24", "dev", tunName).orThrow();
        Cmd.run("ip", "link", "set", tunName, "mtu", Integer.toString(TUN_MTU), "up").orThrow();

        OpenVpnServerConfig ovpn = OpenVpnServerConfig.of(key, chain);
        List<io.p2sgw.dataplane.spi.StreamProtocol> streams = sstp
                ? List.of(new SstpStreamProtocol(SstpServerConfig.of(key, chain, TUN_MTU)))
                : List.of(new OpenVpnStreamProtocol(ovpn));
        DataPlaneConfig cfg = new DataPlaneConfig(InetAddress.getByName(Lab.GATEWAY_PUBLIC_ADDRESS), DataPlaneConfig.DEFAULT_TCP_PORT,
                tunName, TUN_MTU, false, streams,
                // IKEv2 on UDP 500/4500 beside OpenVPN, as the p2sgw server runs it (server's DataPlanes).
                sstp ? List.of() : List.of(new OpenVpnUdpService(ovpn), new IkeV2Service(IkeV2ServerConfig.of(key, chain))),
                StreamAcceptor.ProbeLimits.DEFAULT, new SimpleMeterRegistry(), Clock.systemUTC());
        try (GatewayDataPlane dp = new GatewayDataPlane(cfg)) {
            dp.useExternalTun(tun);
            dp.apply(new GatewaySnapshot(1, "/subscriptions/s/resourceGroups/BenchRG/providers/Microsoft.Network/virtualNetworkGateways/BenchGW",
                    "BenchGW", List.of(Lab.CLIENT_POOL), sstp ? Set.of(TunnelType.SSTP) : Set.of(TunnelType.OPENVPN, TunnelType.IKEV2),
                    List.of(new TrustedCertificate("P2SRootCert", Certificates.thumbprint(root), root)), Set.of(),
                    List.of(Lab.VNET_PREFIX, Lab.CLIENT_POOL), List.of(), new ConnectionLimits(128, SESSION_LIMIT), false, 0, 1,
                    Map.of(TunnelType.OPENVPN, SecretBytes.of(staticKey.bytes())), SERVER_NAME));
            if (!dp.status().startsWith("running")) {
                out.println("error " + dp.status());
                return;
            }
            out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                switch (line.strip()) {
                    case "mem" -> out.println("mem " + heapAfterGc() + " " + dp.sessions().size());
                    case "sessions" -> out.println("sessions " + dp.sessions().size());
                    case "histogram" -> out.println("histogram " + histogramFile(dir));
                    case "quit" -> {
                        return;
                    }
                    default -> out.println("error unknown command");
                }
            }
        } finally {
            tun.close();
        }
    }

    /**
     * Writes the live-object class histogram (jcmd GC.class_histogram, through the DiagnosticCommand MBean, which
     * forces a full GC) next to the config and returns the file: where the per-session heap goes.
     */
    static Path histogramFile(Path dir) throws Exception {
        Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Path file = dir.resolve("heap-histogram.txt");
        Files.writeString(file, String.valueOf(text));
        return file;
    }

    /** Heap in use after full collections: what the live objects (sessions, keys, buffers on heap) take. */
    static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < GC_PASSES; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
