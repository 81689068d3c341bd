package io.p2sgw.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.preauth.PreAuthLimits;
import io.p2sgw.testkit.pki.Issued;
import io.p2sgw.testkit.pki.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Options that reach the protocols' configuration. {@code --ike-legacy-dh-groups}: MODP-1024 is accepted by default,
 * as Azure does (ikev2.md §2.4), and the operator can switch it off (the responder refusing a MODP-1024-only proposal
 * with NO_PROPOSAL_CHOSEN is tested in ikev2: IkeRunTest and IkeSaInitResponderTest). {@code --sstp-hello-interval}:
 * the SSTP Hello timer (the engine's use of it is tested in SstpServerConnectionTest).
 */
class ServerCommandOptionsTest {
    static final Issued SERVER = TestPki.ec("Option Test Root").server("vpn.example.test", "vpn.example.test");

    static ServerCommand parse(String... args) {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    static boolean legacyAccepted(ServerCommand cmd) throws Exception {
        DataPlanes.Options o = cmd.dataPlaneOptions(InetAddress.getLoopbackAddress(),
                PreAuthLimits.DEFAULT);
        return DataPlanes.ikeConfig(SERVER.privateKey(), SERVER.chain(), o).legacyWindows();
    }

    @Test
    void onByDefault() throws Exception {
        assertTrue(legacyAccepted(parse()));
    }

    @Test
    void falseSwitchesItOffAndTrueOn() throws Exception {
        assertFalse(legacyAccepted(parse("--ike-legacy-dh-groups=false")));
        assertFalse(legacyAccepted(parse("--ike-legacy-dh-groups", "false")));
        assertTrue(legacyAccepted(parse("--ike-legacy-dh-groups=true")));
    }

    @Test
    void aValueIsRequiredAndMustBeABoolean() {
        assertThrows(CommandLine.ParameterException.class, () -> parse("--ike-legacy-dh-groups=maybe"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--ike-legacy-dh-groups"));
    }

    @Test
    void sstpHelloIntervalReachesTheSstpConfig() throws Exception {
        DataPlanes.Options defaults = parse().dataPlaneOptions(InetAddress.getLoopbackAddress(), PreAuthLimits.DEFAULT);
        assertEquals(60_000, DataPlanes.sstpConfig(SERVER.privateKey(), SERVER.chain(), defaults).settings().helloMillis());
        DataPlanes.Options o = parse("--sstp-hello-interval=15").dataPlaneOptions(InetAddress.getLoopbackAddress(),
                PreAuthLimits.DEFAULT);
        assertEquals(15_000, DataPlanes.sstpConfig(SERVER.privateKey(), SERVER.chain(), o).settings().helloMillis());
    }

    @Test
    void eapTlsKeysClientsWithoutTheExtendedMasterSecretUnlessTheOperatorRequiresIt() throws Exception {
        DataPlanes.Options defaults = parse().dataPlaneOptions(InetAddress.getLoopbackAddress(), PreAuthLimits.DEFAULT);
        assertTrue(DataPlanes.ikeConfig(SERVER.privateKey(), SERVER.chain(), defaults).eapTlsKeysWithoutExtendedMasterSecret());
        assertTrue(DataPlanes.sstpConfig(SERVER.privateKey(), SERVER.chain(), defaults).eapTlsKeysWithoutExtendedMasterSecret());
        DataPlanes.Options strict = parse("--eap-tls-require-extended-master-secret=true")
                .dataPlaneOptions(InetAddress.getLoopbackAddress(), PreAuthLimits.DEFAULT);
        assertFalse(DataPlanes.ikeConfig(SERVER.privateKey(), SERVER.chain(), strict).eapTlsKeysWithoutExtendedMasterSecret());
        assertFalse(DataPlanes.sstpConfig(SERVER.privateKey(), SERVER.chain(), strict).eapTlsKeysWithoutExtendedMasterSecret());
        assertThrows(CommandLine.ParameterException.class, () -> parse("--eap-tls-require-extended-master-secret"));
    }

    @Test
    void ikeChildLifetimeReachesTheIkeConfig() throws Exception {
        DataPlanes.Options defaults = parse().dataPlaneOptions(InetAddress.getLoopbackAddress(), PreAuthLimits.DEFAULT);
        assertEquals(java.time.Duration.ofHours(2),
                DataPlanes.ikeConfig(SERVER.privateKey(), SERVER.chain(), defaults).childLifetime().lifetime());
        DataPlanes.Options o = parse("--ike-child-lifetime=60").dataPlaneOptions(InetAddress.getLoopbackAddress(),
                PreAuthLimits.DEFAULT);
        assertEquals(java.time.Duration.ofSeconds(60),
                DataPlanes.ikeConfig(SERVER.privateKey(), SERVER.chain(), o).childLifetime().lifetime());
        DataPlanes.Options off = parse("--ike-child-lifetime=0").dataPlaneOptions(InetAddress.getLoopbackAddress(),
                PreAuthLimits.DEFAULT);
        assertTrue(DataPlanes.ikeConfig(SERVER.privateKey(), SERVER.chain(), off).childLifetime().unlimited());
    }

    @Test
    void helpSaysWhyItExists() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new ServerCommand());
        cl.usage(new PrintWriter(out));
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains("--ike-legacy-dh-groups=true|false"), help);
        assertTrue(help.contains("Windows' built-in client offers only MODP-1024 unless the client package's script"),
                help);
        assertTrue(help.contains("--eap-tls-require-extended-master-secret=true|false"), help);
        assertTrue(help.contains("strongSwan 5.9's eap-tls (Azure's Linux set-up, leftauth=eap-tls) is such a client"), help);
    }
}
