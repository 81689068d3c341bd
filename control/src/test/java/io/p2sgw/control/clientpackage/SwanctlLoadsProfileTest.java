package io.p2sgw.control.clientpackage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.api.TunnelType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #3 "Done when": {@code swanctl --load-all} accepts the package's strongSwan profile in a scratch config
 * directory. swanctl only parses and hands the configuration to a running charon, so the test starts
 * {@code charon-systemd} in a private network namespace with a scratch {@code strongswan.conf} (random IKE
 * ports, no routes or virtual IPs installed, its vici socket in the scratch directory) and stops it afterwards.
 * The files are installed the way the package's README and swanctl.conf header say.
 */
class SwanctlLoadsProfileTest {
    private static final String CHARON = "/usr/sbin/charon-systemd";
    private static final String SWANCTL = "/usr/sbin/swanctl";
    /** The plugins charon needs to take a certificate connection over vici, nothing that touches the host. */
    private static final String PLUGINS = "random nonce aes sha1 sha2 hmac gcm pem pkcs1 pkcs8 x509 pubkey openssl "
            + "revocation constraints kernel-netlink socket-default vici";

    /** The directories of a stock /etc/swanctl (swanctl warns about missing ones). */
    private static final List<String> SWANCTL_SUBDIRS = List.of("conf.d", "x509", "x509ca", "x509ocsp", "x509aa", "x509ac",
            "x509crl", "pubkey", "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12");

    private final ZipClientPackageBuilder builder = new ZipClientPackageBuilder();

    @Test
    void seedProfileWithTheUsersCertificateLoads(@TempDir Path dir) throws Exception {
        PrivateNetns.requireRootAnd(CHARON, SWANCTL);
        Path swanctlDir = install(dir, builder.files(Fixtures.seed()));
        // the user adds their certificate and key where the header comment says
        Files.writeString(swanctlDir.resolve("x509/client.pem"), Fixtures.clientChainPem());
        Files.writeString(swanctlDir.resolve("private/client.key"), Fixtures.clientKeyPem());
        String out = loadAll(dir, swanctlDir, true);
        assertLoaded(out);
    }

    @Test
    void packageWithClientCredentialsLoadsAsShipped(@TempDir Path dir) throws Exception {
        PrivateNetns.requireRootAnd(CHARON, SWANCTL);
        Path swanctlDir = install(dir, builder.files(Fixtures.seed(Set.of(TunnelType.IKEV2, TunnelType.SSTP),
                List.of("10.1.0.4"), Optional.of(Fixtures.credentials()))));
        assertLoaded(loadAll(dir, swanctlDir, true));
    }

    /** Issue 17: the profile of a gateway with two instances loads both connections into charon. */
    @Test
    void aTwoInstanceProfileLoadsAConnectionPerInstance(@TempDir Path dir) throws Exception {
        PrivateNetns.requireRootAnd(CHARON, SWANCTL);
        Path swanctlDir = install(dir, builder.files(OtherInstancesInProfileTest.withOtherInstances(Fixtures.seed(
                Set.of(TunnelType.IKEV2), List.of(), Optional.of(Fixtures.credentials())), List.of("198.51.100.11"))));
        String out = loadAll(dir, swanctlDir, true);
        assertTrue(out.contains("loaded connection 'VNet1GW-2'"), out);
        assertTrue(out.contains("successfully loaded 2 connections, 0 unloaded"), out);
        assertTrue(out.contains("198.51.100.11"), "list-conns shows the second instance's address:\n" + out);
    }

    @Test
    void aBrokenProfileIsRefused(@TempDir Path dir) throws Exception {
        // Negative control: the check really depends on the profile's contents.
        PrivateNetns.requireRootAnd(CHARON, SWANCTL);
        Path swanctlDir = install(dir, builder.files(Fixtures.seed(Set.of(TunnelType.IKEV2), List.of(),
                Optional.of(Fixtures.credentials()))));
        Path conf = swanctlDir.resolve("conf.d/swanctl.conf");
        Files.writeString(conf, Files.readString(conf).replace("auth = pubkey", "auth = no-such-method"));
        String out = loadAll(dir, swanctlDir, false);
        assertTrue(out.contains("loading connection 'VNet1GW' failed"), out);
    }

    private static void assertLoaded(String out) {
        // swanctl's own plugin loader complains about optional plugins the distribution does not ship
        List<String> failures = out.lines().filter(l -> l.contains("fail") && !l.startsWith("plugin '")).toList();
        assertEquals(List.of(), failures, out);
        assertTrue(out.contains("loaded connection 'VNet1GW'"), out);
        assertTrue(out.contains("successfully loaded 1 connections, 0 unloaded"), out);
        assertTrue(out.contains("loaded certificate from") && out.contains("VpnServerRoot.pem"), out);
        assertTrue(out.contains("client.key"), "the client key was loaded:\n" + out);
        assertTrue(out.contains("remote: 10.1.0.0/16 172.16.201.0/24"), "list-conns shows the routes:\n" + out);
        assertTrue(out.contains("cacerts: CN=p2sgw gateway CA vnet1gw.p2sgw.test"), out);
    }

    /**
     * Installs the package's strongSwan folder as a swanctl directory: swanctl.conf into conf.d/, x509ca/, x509/,
     * private/ as they are (README.txt: "copy this folder's files into /etc/swanctl").
     */
    private static Path install(Path dir, List<PackageFile> files) throws Exception {
        Path swanctl = dir.resolve("swanctl");
        for (String sub : SWANCTL_SUBDIRS) {
            Files.createDirectories(swanctl.resolve(sub));
        }
        Files.writeString(swanctl.resolve("swanctl.conf"), "include conf.d/*.conf\n");
        int n = 0;
        for (PackageFile f : files) {
            if (f.path().startsWith("strongSwan/")) {
                String rel = f.path().substring("strongSwan/".length());
                Path target = swanctl.resolve(rel.equals("swanctl.conf") ? "conf.d/swanctl.conf" : rel);
                Files.write(target, f.content());
                n++;
            }
        }
        assertTrue(n >= 2, "the package has a strongSwan folder");
        return swanctl;
    }

    /** Starts charon, runs swanctl --load-all and --list-conns, stops charon; checks swanctl's exit code. */
    private static String loadAll(Path dir, Path swanctlDir, boolean expectSuccess) throws Exception {
        Path socket = dir.resolve("charon.vici");
        Path conf = Files.writeString(dir.resolve("strongswan.conf"), """
                charon-systemd {
                  load_modular = no
                  load = %s
                  port = 0
                  port_nat_t = 0
                  install_routes = no
                  install_virtual_ip = no
                  journal { default = -1 }
                  filelog { scratch { path = %s
                    default = 1 } }
                  plugins { vici { socket = unix://%s } }
                }
                """.formatted(PLUGINS, dir.resolve("charon.log"), socket));
        String uri = "unix://" + socket;
        String script = "STRONGSWAN_CONF=" + conf + " " + CHARON + " >/dev/null 2>&1 & CHARON=$!; "
                + "trap 'kill $CHARON; wait $CHARON' EXIT; "
                + "while [ ! -S " + socket + " ]; do kill -0 $CHARON || exit 99; sleep 0.1; done; "
                + "export SWANCTL_DIR=" + swanctlDir + "; "
                + SWANCTL + " --load-all --uri " + uri + "; RC=$?; "
                + SWANCTL + " --list-conns --uri " + uri + "; "
                + "echo \"swanctl exit $RC\"; exit $RC";
        try (PrivateNetns ns = PrivateNetns.start(dir, script)) {
            int code = ns.awaitExit();
            String out = ns.output();
            assertNotEquals(99, code, "charon did not start:\n" + out + readLog(dir));
            assertEquals(expectSuccess, code == 0, "swanctl exit code " + code + "\n" + out + readLog(dir));
            return out;
        }
    }

    private static String readLog(Path dir) throws Exception {
        Path log = dir.resolve("charon.log");
        return Files.exists(log) ? "\ncharon log:\n" + Files.readString(log) : "";
    }
}
