package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.support.ArmCommand;
import io.p2sgw.cli.support.CliConfig;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import io.p2sgw.pki.Pkcs12;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed walkthrough (spec/seed-p2s-certificate-portal.md, example values) through the real CLI commands
 * against the real server, the way an operator used to {@code az network} would type them (issue 2 "Done when").
 */
class CliWalkthroughTest {
    @TempDir Path dir;
    private RunningServer server;
    private Path config;

    @BeforeEach
    void start() {
        server = RunningServer.start(dir.resolve("data"));
        config = dir.resolve("home/.config/p2sgw/config.json");
        // Commands find the login config through P2SGW_CONFIG only; nothing from the real environment leaks in.
        ArmCommand.environmentForTests(Map.of(CliConfig.ENV_CONFIG, config.toString()));
    }

    @AfterEach
    void stop() {
        ArmCommand.environmentForTests(System.getenv());
        server.close();
    }

    private void login() {
        Cli.Result login = Cli.run("login", "--endpoint", server.baseUri().toString(), "--token", server.adminToken(),
                "--ca-file", server.caFile().toString()).ok();
        assertEquals("Contributor", login.json().path("role").asText(), login.out());
    }

    @Test
    void seedWalkthroughThroughTheCli() throws Exception {
        Seed.Certs certs = Seed.Certs.create();

        // login checks the token (whoami) and stores endpoint, token and CA in a 0600 file.
        login();
        assertTrue(Files.isRegularFile(config), "config written");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        List<Map<String, String>> who = Cli.run("token", "whoami", "-o", "table").ok().table();
        assertEquals(1, who.size());
        assertEquals("Contributor", who.get(0).get("Role"));

        // p2sgw status: what this host serves (issue 16); no gateway yet, the endpoint and data plane already.
        JsonNode status = Cli.run("status").ok().json();
        assertTrue(status.path("servedGateway").isNull(), status.toString());
        assertTrue(status.at("/endpoint/tcpPort").isInt(), status.toString());
        Map<String, String> rows = new java.util.HashMap<>();
        Cli.run("status", "-o", "table").ok().table().forEach(r -> rows.put(r.get("Item"), r.get("Value")));
        assertEquals("none yet (no gateway with a point-to-site configuration)", rows.get("Gateway"), rows.toString());
        assertEquals(status.at("/endpoint/tcpPort").asText(), rows.get("TCP port"), rows.toString());
        assertEquals(status.path("dataPlane").asText(), rows.get("Data plane"), rows.toString());

        // az group create -n TestRG1 -l eastus
        JsonNode rg = Cli.run("group", "create", "-n", Seed.RESOURCE_GROUP, "-l", Seed.LOCATION).ok().json();
        assertEquals(Seed.RESOURCE_GROUP, rg.path("name").asText());
        assertEquals(Seed.LOCATION, rg.path("location").asText());

        // VNet1 with FrontEnd (location from the group, as az does), then GatewaySubnet.
        JsonNode vnet = Cli.run("network", "vnet", "create", "-g", Seed.RESOURCE_GROUP, "-n", Seed.VNET,
                "--address-prefixes", Seed.VNET_PREFIX, "--subnet-name", Seed.FRONTEND,
                "--subnet-prefixes", Seed.FRONTEND_PREFIX).ok().json();
        assertEquals(Seed.VNET_PATH, vnet.path("id").asText());
        assertEquals(Seed.LOCATION, vnet.path("location").asText());
        assertEquals("Succeeded", vnet.at("/properties/provisioningState").asText());
        assertEquals(List.of(Seed.FRONTEND), CurlWalkthroughTest.names(vnet.at("/properties/subnets")));
        JsonNode gwSubnet = Cli.run("network", "vnet", "subnet", "create", "-g", Seed.RESOURCE_GROUP,
                "--vnet-name", Seed.VNET, "-n", Seed.GATEWAY_SUBNET, "--address-prefixes", Seed.GATEWAY_SUBNET_PREFIX).ok().json();
        assertEquals(Seed.VNET_PATH + "/subnets/" + Seed.GATEWAY_SUBNET, gwSubnet.path("id").asText());
        assertEquals(Seed.GATEWAY_SUBNET_PREFIX, gwSubnet.at("/properties/addressPrefix").asText());

        // Public IP (Standard, Static by default).
        JsonNode pip = Cli.run("network", "public-ip", "create", "-g", Seed.RESOURCE_GROUP, "-n", Seed.PUBLIC_IP).ok().json();
        assertEquals("Standard", pip.at("/sku/name").asText());
        assertEquals("Static", pip.at("/properties/publicIPAllocationMethod").asText());

        // The gateway: a long-running operation; the CLI waits and reports progress on stderr.
        Cli.Result gwCreate = Cli.run("network", "vnet-gateway", "create", "-g", Seed.RESOURCE_GROUP, "-n", Seed.GATEWAY,
                "--vnet", Seed.VNET, "--public-ip-addresses", Seed.PUBLIC_IP, "--gateway-type", "Vpn",
                "--vpn-type", "RouteBased", "--sku", Seed.SKU, "--vpn-gateway-generation", Seed.GENERATION).ok();
        assertTrue(gwCreate.err().contains("Operation Succeeded"), "progress on stderr: " + gwCreate.err());
        JsonNode gw = gwCreate.json();
        assertEquals("Succeeded", gw.at("/properties/provisioningState").asText(), gw.toString());
        assertEquals(Seed.SKU, gw.at("/properties/sku/name").asText());
        assertEquals(Seed.GENERATION, gw.at("/properties/vpnGatewayGeneration").asText());
        assertEquals(Seed.VNET_PATH + "/subnets/GatewaySubnet", gw.at("/properties/ipConfigurations/0/properties/subnet/id").asText());
        assertEquals(Seed.PIP_PATH, gw.at("/properties/ipConfigurations/0/properties/publicIPAddress/id").asText());

        // Point-to-site configuration: pool, tunnel types, authentication type.
        JsonNode p2s = Cli.run("network", "vnet-gateway", "update", "-g", Seed.RESOURCE_GROUP, "-n", Seed.GATEWAY,
                "--address-prefixes", Seed.POOL, "--client-protocol", "IkeV2", "OpenVPN", "--vpn-auth-type", "Certificate").ok().json();
        JsonNode vcc = p2s.at("/properties/vpnClientConfiguration");
        assertEquals(List.of(Seed.POOL), CurlWalkthroughTest.texts(vcc.at("/vpnClientAddressPool/addressPrefixes")));
        assertEquals(List.of("IkeV2", "OpenVPN"), CurlWalkthroughTest.texts(vcc.path("vpnClientProtocols")));
        assertEquals(List.of("Certificate"), CurlWalkthroughTest.texts(vcc.path("vpnAuthenticationTypes")));

        // Root certificate from the Base-64 .cer file the docs have the user export.
        Path cer = dir.resolve("P2SRootCert.cer");
        Files.writeString(cer, Certificates.toPem(certs.root().certificate()));
        JsonNode root = Cli.run("network", "vnet-gateway", "root-cert", "create", "-g", Seed.RESOURCE_GROUP,
                "--gateway-name", Seed.GATEWAY, "-n", Seed.ROOT_NAME, "--public-cert-data", cer.toString()).ok().json();
        assertEquals(Seed.ROOT_NAME, root.path("name").asText());
        assertEquals(certs.rootData(), root.at("/properties/publicCertData").asText());

        // Revoked client certificate, thumbprint as copied from the Windows dialog (spaces, upper case).
        String spaced = certs.revokedThumbprint().toUpperCase().replaceAll("(.{2})(?!$)", "$1 ");
        JsonNode revoked = Cli.run("network", "vnet-gateway", "revoked-cert", "create", "-g", Seed.RESOURCE_GROUP,
                "--gateway-name", Seed.GATEWAY, "-n", Seed.REVOKED_NAME, "--thumbprint", spaced).ok().json();
        assertEquals(Seed.REVOKED_NAME, revoked.path("name").asText());
        assertTrue(certs.revokedThumbprint().equalsIgnoreCase(revoked.at("/properties/thumbprint").asText()), revoked.toString());

        // Lists and shows, as tables and as JSON.
        List<Map<String, String>> roots = Cli.run("network", "vnet-gateway", "root-cert", "list", "-g", Seed.RESOURCE_GROUP,
                "--gateway-name", Seed.GATEWAY, "-o", "table").ok().table();
        assertEquals(List.of(Seed.ROOT_NAME), roots.stream().map(r -> r.get("Name")).toList());
        List<Map<String, String>> revokedRows = Cli.run("network", "vnet-gateway", "revoked-cert", "list", "-g", Seed.RESOURCE_GROUP,
                "--gateway-name", Seed.GATEWAY, "-o", "table").ok().table();
        assertEquals(1, revokedRows.size());
        assertEquals(Seed.REVOKED_NAME, revokedRows.get(0).get("Name"));
        assertTrue(certs.revokedThumbprint().equalsIgnoreCase(revokedRows.get(0).get("Thumbprint")));

        List<Map<String, String>> gwTable = Cli.run("network", "vnet-gateway", "show", "-g", Seed.RESOURCE_GROUP,
                "-n", Seed.GATEWAY, "-o", "table").ok().table();
        assertEquals(List.of(Map.of(
                "Name", Seed.GATEWAY, "Location", Seed.LOCATION, "GatewayType", "Vpn", "VpnType", "RouteBased",
                "Sku", Seed.SKU, "Generation", Seed.GENERATION, "ClientAddressPool", Seed.POOL,
                "Protocols", "IkeV2, OpenVPN", "ProvisioningState", "Succeeded")), gwTable);

        List<Map<String, String>> vnets = Cli.run("network", "vnet", "list", "-g", Seed.RESOURCE_GROUP, "-o", "table").ok().table();
        assertEquals(1, vnets.size());
        assertEquals(Seed.VNET, vnets.get(0).get("Name"));
        assertEquals(Seed.VNET_PREFIX, vnets.get(0).get("AddressPrefixes"));
        assertEquals(Seed.FRONTEND + ", " + Seed.GATEWAY_SUBNET, vnets.get(0).get("Subnets"));

        JsonNode subnets = Cli.run("network", "vnet", "subnet", "list", "-g", Seed.RESOURCE_GROUP, "--vnet-name", Seed.VNET).ok().json();
        assertEquals(List.of(Seed.FRONTEND, Seed.GATEWAY_SUBNET), CurlWalkthroughTest.names(subnets));
        JsonNode pips = Cli.run("network", "public-ip", "list", "-g", Seed.RESOURCE_GROUP).ok().json();
        assertEquals(List.of(Seed.PUBLIC_IP), CurlWalkthroughTest.names(pips));
        JsonNode gws = Cli.run("network", "vnet-gateway", "list", "-g", Seed.RESOURCE_GROUP).ok().json();
        assertEquals(List.of(Seed.GATEWAY), CurlWalkthroughTest.names(gws));
        List<Map<String, String>> groups = Cli.run("group", "list", "-o", "table").ok().table();
        assertEquals(List.of(Seed.RESOURCE_GROUP), groups.stream().map(r -> r.get("Name")).toList());

        // Client package: URL on stdout, zip downloaded, and a ready .ovpn with a client certificate filled in locally.
        KeyAndChain client = CertificateIssuer.withSystemClock().createClient(certs.root(), "P2SChildCert", KeyType.EC256,
                CertificateIssuer.DEFAULT_CLIENT_VALIDITY);
        Path pfx = dir.resolve("P2SChildCert.pfx");
        Files.write(pfx, Pkcs12.write(client, "pfx-pass".toCharArray(), "P2SChildCert"));
        Path zip = dir.resolve("VNet1GW.zip");
        Path ovpn = dir.resolve("VNet1GW.ovpn");
        Cli.Result gen = Cli.run("network", "vnet-gateway", "vpn-client", "generate", "-g", Seed.RESOURCE_GROUP, "-n", Seed.GATEWAY,
                "--output-file", zip.toString(), "--client-cert", pfx.toString(), "--client-cert-password", "pfx-pass",
                "--ovpn-file", ovpn.toString()).ok();
        assertTrue(gen.json().isTextual(), "generate prints the URL as a JSON string: " + gen.out());
        assertTrue(gen.json().asText().startsWith("https://"), gen.out());
        List<String> entries = CurlWalkthroughTest.zipEntries(Files.readAllBytes(zip));
        assertTrue(entries.contains("OpenVPN/vpnconfig.ovpn"), entries.toString());
        assertTrue(entries.contains("Generic/VpnSettings.xml"), entries.toString());
        String profile = Files.readString(ovpn);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ovpn)));
        assertTrue(profile.contains(Certificates.toPem(client.certificate()).strip()), "client certificate in the profile");
        assertTrue(profile.contains("PRIVATE KEY-----"), "client key in the profile");
        assertFalse(profile.contains("$CLIENTCERTIFICATE") || profile.contains("$PRIVATEKEY"), "no placeholder left");

        // No P2S sessions on the recording data plane: the health table has its header and no rows.
        Cli.Result health = Cli.run("network", "vnet-gateway", "vpn-client", "show-health", "-g", Seed.RESOURCE_GROUP,
                "-n", Seed.GATEWAY, "-o", "table").ok();
        assertEquals(List.of(), health.table());

        // The configuration reached the data plane.
        GatewaySnapshot snap = server.dataPlane().last().orElseThrow(() -> new AssertionError("no snapshot applied"));
        assertEquals(List.of(Seed.POOL), snap.addressPool());
        assertEquals(Set.of(TunnelType.IKEV2, TunnelType.OPENVPN), snap.tunnelTypes());
        assertEquals(Set.of(certs.revokedThumbprint().toLowerCase()), snap.revokedThumbprints());
        assertEquals(1, snap.trustedCertificates().size());
    }

    @Test
    void errorsAreClearAndExitNonZero() throws Exception {
        Seed.Certs certs = Seed.Certs.create();
        login();
        ArmClient arm = RestartTest.client(server, server.adminToken());
        Walkthrough.viaArmClient(arm, certs);
        JsonNode before = arm.get(Seed.GW_PATH);

        // A pool overlapping the VNet: the Azure message, exit 1, nothing changed.
        Cli.Result overlap = Cli.run("network", "vnet-gateway", "update", "-g", Seed.RESOURCE_GROUP, "-n", Seed.GATEWAY,
                "--address-prefixes", "10.1.128.0/24");
        assertEquals(ArmCommand.EXIT_API_ERROR, overlap.exitCode(), overlap.err());
        assertTrue(overlap.err().startsWith("ERROR: ("), overlap.err());
        assertTrue(overlap.err().contains("VPN client address pool overlaps with the virtual network's address space"), overlap.err());
        assertTrue(overlap.err().contains("10.1.128.0/24"), overlap.err());
        assertEquals("", overlap.out());
        assertEquals(before, arm.get(Seed.GW_PATH), "a refused update changes nothing");

        // A resource that does not exist.
        Cli.Result missing = Cli.run("network", "vnet", "show", "-g", Seed.RESOURCE_GROUP, "-n", "NoSuchVNet");
        assertEquals(ArmCommand.EXIT_API_ERROR, missing.exitCode());
        assertTrue(missing.err().contains("NotFound"), missing.err());

        // A root "certificate" file that is not a certificate: refused by the server, exit 1.
        Path junk = dir.resolve("junk.cer");
        Files.writeString(junk, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        Cli.Result badCert = Cli.run("network", "vnet-gateway", "root-cert", "create", "-g", Seed.RESOURCE_GROUP,
                "--gateway-name", Seed.GATEWAY, "-n", "Junk", "--public-cert-data", junk.toString());
        assertEquals(ArmCommand.EXIT_API_ERROR, badCert.exitCode(), badCert.err());
        assertTrue(badCert.err().startsWith("ERROR: ("), badCert.err());
        assertEquals(1, arm.get(Seed.GW_PATH).at("/properties/vpnClientConfiguration/vpnClientRootCertificates").size());

        // A wrong token: 401 in the API's words, the token not echoed.
        Cli.Result wrong = Cli.run("network", "vnet", "list", "--token", "not-the-token");
        assertEquals(ArmCommand.EXIT_API_ERROR, wrong.exitCode());
        assertFalse(wrong.err().contains("not-the-token"), wrong.err());
        assertTrue(wrong.err().startsWith("ERROR: ("), wrong.err());

        // A Reader token may read but not write.
        JsonNode reader = Cli.run("token", "create", "-n", "auditor", "--role", "Reader").ok().json();
        assertEquals("Reader", reader.path("role").asText());
        String readerToken = reader.path("token").asText();
        assertFalse(readerToken.isEmpty(), reader.toString());
        assertNotEquals(server.adminToken(), readerToken);
        Cli.run("network", "vnet", "show", "-g", Seed.RESOURCE_GROUP, "-n", Seed.VNET, "--token", readerToken).ok();
        Cli.Result denied = Cli.run("group", "create", "-n", "Other", "-l", "eastus", "--token", readerToken);
        assertEquals(ArmCommand.EXIT_API_ERROR, denied.exitCode(), denied.err());
        assertEquals(404, arm.find(arm.paths().resourceGroup("Other")).map(n -> 200).orElse(404), "nothing created");
        List<Map<String, String>> tokens = Cli.run("token", "list", "-o", "table").ok().table();
        assertTrue(tokens.stream().anyMatch(t -> t.get("Name").equals("auditor") && t.get("Role").equals("Reader")), tokens.toString());
        assertFalse(Cli.run("token", "list").ok().out().contains(readerToken), "listing never shows token values");
        Cli.run("token", "revoke", "-n", "auditor").ok();
        assertEquals(ArmCommand.EXIT_API_ERROR,
                Cli.run("network", "vnet", "show", "-g", Seed.RESOURCE_GROUP, "-n", Seed.VNET, "--token", readerToken).exitCode(),
                "a revoked token is refused");

        // No endpoint at all: a usage error before any request (exit 2).
        ArmCommand.environmentForTests(Map.of(CliConfig.ENV_CONFIG, dir.resolve("nowhere.json").toString()));
        Cli.Result noLogin = Cli.run("network", "vnet", "list");
        assertEquals(ArmCommand.EXIT_USAGE, noLogin.exitCode());
        assertTrue(noLogin.err().contains("p2sgw login"), noLogin.err());
    }

    @Test
    void deleteEverythingThroughTheCli() throws Exception {
        Seed.Certs certs = Seed.Certs.create();
        login();
        ArmClient arm = RestartTest.client(server, server.adminToken());
        Walkthrough.viaArmClient(arm, certs);
        String g = Seed.RESOURCE_GROUP;

        // A second root from a binary (DER) .cer file: the CLI encodes it to the one-line Base-64 the API wants.
        KeyAndChain second = CertificateIssuer.withSystemClock().createRoot("SecondRoot", KeyType.EC256,
                CertificateIssuer.DEFAULT_ROOT_VALIDITY);
        Path der = dir.resolve("SecondRoot.cer");
        Files.write(der, Certificates.der(second.certificate()));
        JsonNode added = Cli.run("network", "vnet-gateway", "root-cert", "create", "-g", g, "--gateway-name", Seed.GATEWAY,
                "-n", "SecondRoot", "--public-cert-data", der.toString()).ok().json();
        assertEquals(Certificates.publicCertData(second.certificate()), added.at("/properties/publicCertData").asText());
        assertEquals(2, server.dataPlane().last().orElseThrow().trustedCertificates().size());
        Cli.run("network", "vnet-gateway", "root-cert", "delete", "-g", g, "--gateway-name", Seed.GATEWAY, "-n", "SecondRoot").ok();

        // Reinstating the revoked certificate and removing the root reach the data plane.
        Cli.run("network", "vnet-gateway", "revoked-cert", "delete", "-g", g, "--gateway-name", Seed.GATEWAY, "-n", Seed.REVOKED_NAME).ok();
        assertEquals(List.of(), Cli.run("network", "vnet-gateway", "revoked-cert", "list", "-g", g, "--gateway-name", Seed.GATEWAY,
                "-o", "table").ok().table());
        assertEquals(Set.of(), server.dataPlane().last().orElseThrow().revokedThumbprints());
        Cli.run("network", "vnet-gateway", "root-cert", "delete", "-g", g, "--gateway-name", Seed.GATEWAY, "-n", Seed.ROOT_NAME).ok();
        assertEquals(0, Cli.run("network", "vnet-gateway", "root-cert", "list", "-g", g, "--gateway-name", Seed.GATEWAY).ok().json().size());
        assertEquals(0, server.dataPlane().last().orElseThrow().trustedCertificates().size());

        // The gateway, then what it used, then the group.
        Cli.run("network", "vnet-gateway", "delete", "-g", g, "-n", Seed.GATEWAY).ok();
        Cli.Result gone = Cli.run("network", "vnet-gateway", "show", "-g", g, "-n", Seed.GATEWAY);
        assertEquals(ArmCommand.EXIT_API_ERROR, gone.exitCode(), gone.out());
        assertTrue(gone.err().contains("NotFound"), gone.err());
        Cli.run("network", "public-ip", "delete", "-g", g, "-n", Seed.PUBLIC_IP).ok();
        Cli.run("network", "vnet", "subnet", "delete", "-g", g, "--vnet-name", Seed.VNET, "-n", Seed.FRONTEND).ok();
        assertEquals(List.of(Seed.GATEWAY_SUBNET), CurlWalkthroughTest.names(
                Cli.run("network", "vnet", "subnet", "list", "-g", g, "--vnet-name", Seed.VNET).ok().json()));
        Cli.run("network", "vnet", "delete", "-g", g, "-n", Seed.VNET).ok();
        assertEquals(0, Cli.run("network", "vnet", "list", "-g", g).ok().json().size());
        Cli.run("group", "delete", "-n", g, "--yes").ok(); // a script has no terminal to confirm on
        assertEquals(List.of(), Cli.run("group", "list", "-o", "table").ok().table());
        assertTrue(arm.find(Seed.RG_PATH).isEmpty(), "the group is gone");
    }

    /** az also takes the whole P2S configuration on {@code vnet-gateway create}; one command, one LRO. */
    @Test
    void gatewayWithItsPointToSiteConfigurationInOneCommand() throws Exception {
        Seed.Certs certs = Seed.Certs.create();
        login();
        String g = Seed.RESOURCE_GROUP;
        Cli.run("group", "create", "-n", g, "-l", Seed.LOCATION).ok();
        Cli.run("network", "vnet", "create", "-g", g, "-n", Seed.VNET, "--address-prefixes", Seed.VNET_PREFIX,
                "--subnet-name", Seed.GATEWAY_SUBNET, "--subnet-prefixes", Seed.GATEWAY_SUBNET_PREFIX).ok();
        Cli.run("network", "public-ip", "create", "-g", g, "-n", Seed.PUBLIC_IP).ok();
        Path cer = dir.resolve("P2SRootCert.cer");
        Files.writeString(cer, Certificates.toPem(certs.root().certificate()));
        Cli.Result created = Cli.run("network", "vnet-gateway", "create", "-g", g, "-n", Seed.GATEWAY, "--vnet", Seed.VNET,
                "--public-ip-addresses", Seed.PUBLIC_IP, "--sku", Seed.SKU, "--vpn-gateway-generation", Seed.GENERATION,
                "--address-prefixes", Seed.POOL, "--client-protocol", "OpenVPN", "--vpn-auth-type", "Certificate",
                "--root-cert-name", Seed.ROOT_NAME, "--root-cert-data", cer.toString(), "-o", "table").ok();
        assertTrue(created.err().contains("Operation Succeeded"), created.err());
        assertEquals(List.of(Map.of(
                "Name", Seed.GATEWAY, "Location", Seed.LOCATION, "GatewayType", "Vpn", "VpnType", "RouteBased",
                "Sku", Seed.SKU, "Generation", Seed.GENERATION, "ClientAddressPool", Seed.POOL,
                "Protocols", "OpenVPN", "ProvisioningState", "Succeeded")), created.table());
        GatewaySnapshot snap = server.dataPlane().last().orElseThrow(() -> new AssertionError("no snapshot applied"));
        assertEquals(Set.of(TunnelType.OPENVPN), snap.tunnelTypes());
        assertEquals(1, snap.trustedCertificates().size());
        assertEquals(Seed.ROOT_NAME, snap.trustedCertificates().get(0).name());
        assertEquals(certs.root().certificate(), snap.trustedCertificates().get(0).certificate());
    }
}
