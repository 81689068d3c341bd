package io.p2sgw.lab.demo;

import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.arm.ArmException;
import io.p2sgw.lab.Cmd;
import io.p2sgw.lab.GatewayServer;
import io.p2sgw.lab.Lab;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code p2sgw demo}: builds the lab, starts the gateway in its namespace, runs the seed walkthrough through the
 * REST API with all three tunnel types, connects the stock clients with the profiles from the package ({@code openvpn},
 * strongSwan with the package's swanctl profile, {@code sstpc} + {@code pppd} inside User-Mode Linux), shows each
 * client's pool address, a ping and an HTTP fetch to the VM at 10.1.0.4 and the sessions in the health API, revokes
 * one client, and removes everything, also on failure or Ctrl-C (a shutdown hook). Needs root. A client that cannot
 * run on this machine is skipped with the reason.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Build a lab in network namespaces, configure a gateway through the API as the Azure "
                + "walkthrough does, connect real OpenVPN, IKEv2 (strongSwan) and SSTP (sstpc) clients, reach the VM at "
                + "10.1.0.4, revoke one, clean up.")
public final class DemoCommand implements Callable<Integer> {
    /** One client certificate per client (their CNs are the sessions' user names). */
    static final String OPENVPN_USER = "P2SChildCert";
    static final String IKEV2_USER = "P2SChildCert-IKEv2";
    static final String SSTP_USER = "P2SChildCert-SSTP";

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
                + "198.51.100.4), internet bridge, three client namespaces (198.51.100.10-12: OpenVPN, IKEv2, SSTP), host leg 198.51.100.1");
        Lab lab = Lab.start(Lab.Options.seed(3));
        // Ctrl-C ends the JVM without running the finally below: the hook removes the namespaces, the gateway and the
        // clients (UML guests included) then. Lab.close() is idempotent, so the normal path's close makes it a no-op.
        Thread teardown = new Thread(() -> closeLab(lab), "demo-lab-teardown");
        Runtime.getRuntime().addShutdownHook(teardown);
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

            step("make the root and one client certificate per client (as New-SelfSignedCertificate does, azure-p2s.md §5.1), "
                    + "so revoking one ends one client's session only");
            CertificateIssuer issuer = CertificateIssuer.withSystemClock();
            KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.RSA2048, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
            result("root P2SRootCert " + Certificates.thumbprint(root.certificate()));
            Map<String, KeyAndChain> certs = new LinkedHashMap<>();
            for (String cn : List.of(OPENVPN_USER, IKEV2_USER, SSTP_USER)) {
                certs.put(cn, issuer.createClient(root, cn, KeyType.RSA2048, CertificateIssuer.DEFAULT_CLIENT_VALIDITY));
                result("client " + cn + " " + Certificates.thumbprint(certs.get(cn).certificate()));
            }
            walk.configurePointToSite(root.certificate(), SeedWalkthrough.ALL_TUNNEL_TYPES);
            List<String> missing = walk.missingTunnelTypes(SeedWalkthrough.ALL_TUNNEL_TYPES);
            if (!missing.isEmpty()) {
                result("FAILED: the gateway does not enable " + missing);
                return 1;
            }
            result("OpenVPN, IkeV2 and SSTP enabled");
            reached = "point-to-site configured";

            Path pkgDir = lab.newDirectory("client");
            Path zip = pkgDir.resolve(SeedWalkthrough.GATEWAY + ".zip");
            String template = walk.downloadProfileTemplate(zip);
            ClientPackage pkg = ClientPackage.read(zip);
            reached = "client package downloaded";

            List<DemoClient> clients = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            Path profile = walk.fillProfile(template, certs.get(OPENVPN_USER), pkgDir.resolve("vpnconfig.ovpn"));
            clients.add(new OpenVpnDemoClient(lab, 1, certs.get(OPENVPN_USER), profile));
            Optional<String> noSwan = StrongSwanDemoClient.whyUnavailable();
            if (noSwan.isPresent()) {
                skip(skipped, "IKEv2", noSwan.get());
            } else {
                Path swan = lab.newDirectory("package-strongSwan");
                step("unpack the package's " + ClientPackage.STRONGSWAN_FOLDER + " folder (swanctl.conf, x509ca/) to " + swan
                        + "; the client adds only x509/client.pem and private/client.key of " + IKEV2_USER);
                result(pkg.unpackFolder(ClientPackage.STRONGSWAN_FOLDER, swan) + " files");
                clients.add(new StrongSwanDemoClient(lab, 2, certs.get(IKEV2_USER), swan));
            }
            Optional<String> noSstp = SstpDemoClient.whyUnavailable();
            if (noSstp.isPresent()) {
                skip(skipped, "SSTP", noSstp.get());
            } else {
                step("the server root for sstpc and pppd: " + ClientPackage.SERVER_ROOT_ENTRY + " from the package, as PEM "
                        + "(openssl x509 -inform der -in VpnServerRoot.cer -out ca.pem)");
                clients.add(new SstpDemoClient(lab, 3, certs.get(SSTP_USER), pkg.serverRootPem()));
            }
            reached = "client profiles ready";

            ClientsWalkthrough run = new ClientsWalkthrough(walk, server, this::step, this::result, Duration.ofSeconds(timeoutSeconds));
            clients.forEach(run::connect);
            reached = "clients connected";
            run.checkAddresses();
            run.showHealth();
            // The OpenVPN client is the one revoked: it runs on every machine, so the demo always shows a revocation.
            run.revoke(clients.getFirst());
            boolean ok = run.failures().isEmpty();
            out.println(ok ? "demo: SUCCESS" + (skipped.isEmpty() ? "" : " (without " + String.join(", ", skipped) + "; see above)")
                    : "demo: FAILED (" + run.failures().size() + " problems, see above)");
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
            try {
                Runtime.getRuntime().removeShutdownHook(teardown);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
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

    private void skip(List<String> skipped, String tunnelType, String why) {
        step("skip the " + tunnelType + " client: it cannot run on this machine: " + why);
        result("continuing without " + tunnelType + " (scripts/install-deps.sh installs it)");
        skipped.add(tunnelType);
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
