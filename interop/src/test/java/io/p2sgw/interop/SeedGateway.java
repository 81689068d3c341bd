package io.p2sgw.interop;

import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.lab.GatewayServer;
import io.p2sgw.lab.Lab;
import io.p2sgw.lab.OpenVpnClient;
import io.p2sgw.lab.demo.SeedWalkthrough;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The interop fixture: a lab with {@code clients} client namespaces, the p2sgw server in the gateway namespace,
 * and the seed walkthrough done through the API (VNet1GW, pool 172.16.201.0/24, OpenVPN, root P2SRootCert).
 * Client profiles are the package's vpnconfig.ovpn with each client's certificate filled in.
 */
final class SeedGateway implements AutoCloseable {
    static final Duration API_TIMEOUT = Duration.ofSeconds(90);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    final Lab lab;
    final GatewayServer server;
    final SeedWalkthrough walk;
    final CertificateIssuer issuer = CertificateIssuer.withSystemClock();
    final KeyAndChain root;
    final String template;
    /** The client package as downloaded (VNet1GW.zip). */
    final Path packageZip;

    private SeedGateway(Lab lab, GatewayServer server, SeedWalkthrough walk, KeyAndChain root, String template,
            Path packageZip) {
        this.lab = lab;
        this.server = server;
        this.walk = walk;
        this.root = root;
        this.template = template;
        this.packageZip = packageZip;
    }

    /** The gateway jar the reactor built (system property {@code p2sgw.jar}, set by this module's pom). */
    static Path jar() {
        Path jar = Path.of(System.getProperty("p2sgw.jar", "../server/target/p2sgw.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the gateway jar " + jar + " is missing: build the server module first "
                    + "(mvn -pl server -am package)");
        }
        return jar;
    }

    static SeedGateway start(int clients) {
        return start(clients, List.of("OpenVPN"));
    }

    /** The same with the given {@code vpnClientProtocols}. */
    static SeedGateway start(int clients, List<String> protocols) {
        return start(clients, protocols, List.of());
    }

    /** The same with extra arguments for {@code p2sgw server}. */
    static SeedGateway start(int clients, List<String> protocols, List<String> serverArgs) {
        Path jar = jar();
        Lab lab = Lab.start(Lab.Options.seed(clients));
        try {
            Path data = lab.newDirectory("gateway-data");
            GatewayServer server = GatewayServer.start(lab, GatewayServer.currentJava(), jar, data, serverArgs);
            if (!server.awaitApi(API_TIMEOUT)) {
                throw new IllegalStateException("the API did not come up; server log:\n" + server.process().tail(40));
            }
            ArmClient arm = new ArmClient(server.clientSettings(), new PrintWriter(Writer.nullWriter()));
            SeedWalkthrough walk = new SeedWalkthrough(arm, s -> System.out.println("[interop] " + s));
            walk.createNetwork();
            walk.createGateway();
            CertificateIssuer issuer = CertificateIssuer.withSystemClock();
            KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.RSA2048, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
            walk.configurePointToSite(root.certificate(), protocols);
            Path zip = lab.newDirectory("package").resolve("VNet1GW.zip");
            String template = walk.downloadProfileTemplate(zip);
            return new SeedGateway(lab, server, walk, root, template, zip);
        } catch (RuntimeException | Error e) {
            // Errors too (a NoClassDefFoundError once left a whole lab behind).
            lab.close();
            throw e;
        }
    }

    KeyAndChain clientCertificate(String cn) {
        return issuer.createClient(root, cn, KeyType.RSA2048, CertificateIssuer.DEFAULT_CLIENT_VALIDITY);
    }

    /** Writes client i's profile with {@code cert} filled in and starts openvpn with it. */
    OpenVpnClient connect(int i, KeyAndChain cert, List<String> extraArgs) {
        Path profile = walk.fillProfile(template, cert, lab.newDirectory("client" + i).resolve("vpnconfig.ovpn"));
        return lab.startOpenVpn(i, profile, extraArgs);
    }

    String serverLog() {
        return server.process().logText();
    }

    @Override
    public void close() {
        lab.close();
    }

    /**
     * Closes the lab and checks that none of its namespaces is left. Only this lab's: another lab may have been torn
     * down meanwhile (the lab lock serialises labs).
     */
    void closeLeavingNoNamespace() {
        String runId = lab.runId();
        close();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), io.p2sgw.lab.Cmd.run("ip", "netns", "list")
                .output().lines().filter(l -> l.contains(runId)).toList(), "the lab left no namespace behind");
    }
}
