package io.p2sgw.lab.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.arm.ArmException;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.GatewayServer;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code p2sgw demo}: builds the lab, starts the gateway in its namespace, runs the seed walkthrough through the
 * REST API, connects the stock {@code openvpn} client with the profile from the package, shows the client's pool
 * address, a ping and an HTTP fetch to the VM at 10.1.0.4, and removes everything. Needs root.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Build a lab in network namespaces, configure a gateway through the API as the Azure "
                + "walkthrough does, connect a real OpenVPN client, reach the VM at 10.1.0.4, revoke it, clean up.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--jar", description = "The p2sgw jar to run as the gateway (default: the jar running this command).")
    Path jar;

    @Option(names = "--java", description = "The java launcher for the gateway (default: this JVM's).")
    Path java;

    @Option(names = "--timeout", defaultValue = "90", description = "Seconds to wait for the API and for the VPN client.")
    int timeoutSeconds;

    @Option(names = "--instances", defaultValue = "1", description = "2: two gateway instances on one PostgreSQL"
            + " the demo starts, a revocation through one ending a session on the other, the loss of one (InstancesWalkthrough).")
    int instances;

    @Option(names = "--keep-scratch", description = "Keep the scratch directory (logs, package, profile) after the run.")
    boolean keepScratch;

    private PrintWriter out;
    private int stepNo;

    private void step(String text) {
        if (text.startsWith("  ")) {
            out.println("      " + text.strip());
        } else {
            out.printf("[%2d] %s%n", ++stepNo, text);
        }
        out.flush();
    }

    private void result(String text) {
        out.println("  =>  " + text);
        out.flush();
    }

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        Optional<String> unavailable = Lab.whyUnavailable();
        if (unavailable.isPresent()) {
            out.println("demo: " + unavailable.get());
            return 2;
        }
        for (String tool : List.of("openvpn", "curl", "ping")) {
            if (!Cmd.run("sh", "-c", "command -v " + tool).ok()) {
                out.println("demo: `" + tool + "` is not installed (apt-get install -y --no-install-recommends "
                        + (tool.equals("ping") ? "iputils-ping" : tool) + ")");
                return 2;
            }
        }
        Optional<Path> gatewayJar = Optional.ofNullable(jar).or(GatewayServer::currentJar);
        if (gatewayJar.isEmpty()) {
            out.println("demo: not running from a jar; pass --jar server/target/p2sgw.jar");
            return 2;
        }
        Path javaBin = java != null ? java : GatewayServer.currentJava();
        if (instances != 1) {
            return runInstances(javaBin, gatewayJar.get());
        }
        String reached = "start";
        step("build the lab: VNet namespace (VM 10.1.0.4 with HTTP and iperf3), gateway namespace (10.1.255.4, "
                + "198.51.100.4), internet bridge, one client namespace (198.51.100.10), host leg 198.51.100.1");
        Lab lab = Lab.start(Lab.Options.seed(1));
        try {
            result("lab " + lab.runId() + ": namespaces " + lab.namespaces());
            reached = "lab built";
            Path data = lab.newDirectory("gateway-data");
            step("start the gateway: ip netns exec " + lab.gatewayNamespace() + " java -jar " + gatewayJar.get().getFileName()
                    + " server --data-dir " + data + " --api-listen 0.0.0.0:8443 --public-address 198.51.100.4");
            GatewayServer server = GatewayServer.start(lab, javaBin, gatewayJar.get(), data, List.of());
            if (!server.awaitApi(Duration.ofSeconds(timeoutSeconds))) {
                result("FAILED: the API did not come up on https://198.51.100.4:8443 (token in " + data + "/admin-token). "
                        + "Server log:\n" + server.process().tail(30));
                return 1;
            }
            result("API up at https://198.51.100.4:8443, CA " + server.caFile().map(Path::toString).orElse("(none found)"));
            reached = "gateway server up";

            ArmClient arm = new ArmClient(server.clientSettings(), new PrintWriter(Writer.nullWriter()));
            SeedWalkthrough walk = new SeedWalkthrough(arm, this::step);
            walk.createNetwork();
            walk.createGateway();
            reached = "gateway created";

            step("make the root and client certificates (as New-SelfSignedCertificate does, azure-p2s.md §5.1)");
            CertificateIssuer issuer = CertificateIssuer.withSystemClock();
            KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.RSA2048, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
            KeyAndChain client = issuer.createClient(root, "P2SChildCert", KeyType.RSA2048, CertificateIssuer.DEFAULT_CLIENT_VALIDITY);
            result("root " + Certificates.thumbprint(root.certificate()) + ", client P2SChildCert "
                    + Certificates.thumbprint(client.certificate()));
            walk.configurePointToSite(root.certificate());
            reached = "point-to-site configured";

            Path pkgDir = lab.newDirectory("client");
            String template = walk.downloadProfileTemplate(pkgDir.resolve(SeedWalkthrough.GATEWAY + ".zip"));
            Path profile = walk.fillProfile(template, client, pkgDir.resolve("vpnconfig.ovpn"));
            reached = "client package downloaded and filled";

            step("connect: ip netns exec " + lab.clientNamespace(1) + " openvpn --config " + profile);
            OpenVpnClient vpn = lab.startOpenVpn(1, profile, List.of());
            if (!vpn.awaitConnected(Duration.ofSeconds(timeoutSeconds))) {
                result("FAILED: no \"" + OpenVpnClient.CONNECTED_MARKER + "\" within " + timeoutSeconds + " s. Client log:\n"
                        + vpn.process().tail(25) + "\nServer log:\n" + server.process().tail(25));
                return 1;
            }
            reached = "client connected";
            String address = vpn.tunnelAddress().orElse("unknown");
            result("connected; client address " + address + (address.startsWith("172.16.201.") ? " (from the pool 172.16.201.0/24)" : ""));

            step("ping 10.1.0.4 from the client");
            boolean ping = lab.ping(lab.clientNamespace(1), Lab.VM_ADDRESS, Duration.ofSeconds(5));
            result(ping ? "10.1.0.4 answers" : "FAILED: no answer from 10.1.0.4");
            step("HTTP GET http://10.1.0.4/ from the client");
            Optional<String> body = lab.httpGet(lab.clientNamespace(1), "http://" + Lab.VM_ADDRESS + "/", Duration.ofSeconds(10));
            result(body.map(b -> "200: " + b.strip()).orElse("FAILED: no HTTP answer from 10.1.0.4"));

            step("POST getVpnClientConnectionHealth");
            try {
                for (JsonNode s : walk.connectionHealth()) {
                    result(s.path("vpnConnectionId").asText() + " user " + s.path("vpnUserName").asText() + " private "
                            + s.path("privateIpAddress").asText() + " public " + s.path("publicIpAddress").asText()
                            + " in " + s.path("ingressBytesTransferred").asText() + " B / out "
                            + s.path("egressBytesTransferred").asText() + " B");
                }
            } catch (ArmException e) {
                result("health not available: " + e.describe());
            }
            boolean revoked = revokeAndCheck(walk, lab, vpn, profile, client, server);
            boolean ok = ping && body.isPresent() && address.startsWith("172.16.201.") && revoked;
            out.println(ok ? "demo: SUCCESS" : "demo: FAILED (see above)");
            return ok ? 0 : 1;
        } catch (ArmException e) {
            out.println("demo: FAILED after \"" + reached + "\": API error " + e.describe());
            return 1;
        } catch (RuntimeException e) {
            out.println("demo: FAILED after \"" + reached + "\": " + e.getMessage());
            return 1;
        } finally {
            step("clean up: stop the client and the gateway, delete the namespaces");
            if (keepScratch) {
                out.println("      scratch kept: " + lab.scratch());
            }
            closeLab(lab);
        }
    }

    private int runInstances(Path javaBin, Path gatewayJar) {
        if (instances != 2) {
            out.println("demo: --instances is 1 or 2");
            return 2;
        }
        try {
            boolean ok = new InstancesWalkthrough(this::step, this::result, Duration.ofSeconds(timeoutSeconds))
                    .run(javaBin, gatewayJar, keepScratch);
            out.println(ok ? "demo: SUCCESS" : "demo: FAILED (see above)");
            return ok ? 0 : 1;
        } catch (RuntimeException e) {
            out.println("demo: FAILED: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Revokes the client's certificate: its live session must end within a second or two (the health list
     * empties), and a fresh connection with the same certificate must be refused, with the reason in the log.
     */
    private boolean revokeAndCheck(SeedWalkthrough walk, Lab lab, OpenVpnClient vpn, Path profile, KeyAndChain client,
                                   GatewayServer server) {
        String thumbprint = Certificates.thumbprint(client.certificate());
        long start = System.nanoTime();
        walk.revoke("P2SChildCert-lost", thumbprint);
        long deadline = start + Duration.ofSeconds(5).toNanos();
        boolean ended = false;
        while (System.nanoTime() < deadline) {
            if (walk.connectionHealth().isEmpty()) {
                ended = true;
                break;
            }
            sleep(Duration.ofMillis(100));
        }
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        result(ended ? "the live session ended " + ms + " ms after the revocation was sent"
                : "FAILED: the session was still listed 5 s after the revocation");
        vpn.close();
        step("reconnect with the revoked certificate: ip netns exec " + lab.clientNamespace(1) + " openvpn --config " + profile);
        OpenVpnClient again = lab.startOpenVpn(1, profile, List.of());
        boolean connected = again.awaitConnected(Duration.ofSeconds(15));
        again.close();
        String refusal = server.process().logText().lines().filter(l -> l.contains(thumbprint) && l.toLowerCase().contains("revoked"))
                .reduce((a, b) -> b).orElse("");
        result(connected ? "FAILED: the revoked client connected again"
                : "refused; server log: " + (refusal.isEmpty() ? "(no line naming the thumbprint)" : refusal.strip()));
        return ended && !connected && !refusal.isEmpty();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeLab(Lab lab) {
        try {
            if (keepScratch) {
                lab.keepScratch();
            }
            lab.close();
            result("removed " + lab.namespaces().size() + " namespaces");
        } catch (RuntimeException e) {
            result("cleanup problem: " + e.getMessage());
        }
    }
}
