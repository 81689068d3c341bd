package io.p2sgw.apitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.management.SubResource;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.VirtualNetworkGatewaysClient;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkGatewayInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkGatewayIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.VpnClientConnectionHealthDetailListResultInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.AuthenticationMethod;
import com.azure.resourcemanager.network.models.IpAllocationMethod;
import com.azure.resourcemanager.network.models.Network;
import com.azure.resourcemanager.network.models.PublicIPSkuType;
import com.azure.resourcemanager.network.models.PublicIpAddress;
import com.azure.resourcemanager.network.models.ProcessorArchitecture;
import com.azure.resourcemanager.network.models.VirtualNetworkGateway;
import com.azure.resourcemanager.network.models.VirtualNetworkGatewaySku;
import com.azure.resourcemanager.network.models.VirtualNetworkGatewaySkuName;
import com.azure.resourcemanager.network.models.VirtualNetworkGatewaySkuTier;
import com.azure.resourcemanager.network.models.VirtualNetworkGatewayType;
import com.azure.resourcemanager.network.models.VpnAuthenticationType;
import com.azure.resourcemanager.network.models.VpnClientConfiguration;
import com.azure.resourcemanager.network.models.VpnClientParameters;
import com.azure.resourcemanager.network.models.VpnClientProtocol;
import com.azure.resourcemanager.network.models.VpnClientRevokedCertificate;
import com.azure.resourcemanager.network.models.VpnGatewayGeneration;
import com.azure.resourcemanager.network.models.VpnType;
import com.azure.resourcemanager.resources.models.ResourceGroup;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed walkthrough through the Azure SDK for Java (azure-resourcemanager-network), unchanged, pointed at
 * p2sgw instead of management.azure.com (issue 2 "Done when"). The fluent API is used where a Java user would
 * use it; the generated service client where the fluent one cannot say it (Generation2, the package URL).
 */
class AzureSdkWalkthroughTest {
    @TempDir Path dir;
    private RunningServer server;
    private AzureSdk sdk;
    private NetworkManager net;

    @BeforeEach
    void start() {
        server = RunningServer.start(dir.resolve("data"));
        sdk = new AzureSdk(server, server.adminToken());
        net = sdk.manager();
    }

    @AfterEach
    void stop() {
        if (Boolean.getBoolean("p2sgw.sdk.dump")) {
            // -Dp2sgw.sdk.dump=true: every request the SDK made and every answer, for comparing with Azure.
            sdk.exchanges().forEach(x -> System.out.println("SDK " + x));
        }
        server.close();
    }

    /** Resource group, VNet1 with FrontEnd, GatewaySubnet and the public IP, as a Java user writes them. */
    private void createNetworkResources() {
        ResourceGroup rg = sdk.step("resource group", () -> net.resourceManager().resourceGroups()
                .define(Seed.RESOURCE_GROUP).withRegion(Seed.LOCATION).create());
        assertEquals(Seed.RESOURCE_GROUP, rg.name());
        assertEquals(Seed.LOCATION, rg.regionName());

        Network vnet = sdk.step("vnet", () -> net.networks().define(Seed.VNET)
                .withRegion(Seed.LOCATION).withExistingResourceGroup(Seed.RESOURCE_GROUP)
                .withAddressSpace(Seed.VNET_PREFIX)
                .withSubnet(Seed.FRONTEND, Seed.FRONTEND_PREFIX)
                .create());
        assertEquals(Seed.VNET_PATH, vnet.id());
        assertEquals(List.of(Seed.VNET_PREFIX), vnet.addressSpaces());
        assertEquals(Set.of(Seed.FRONTEND), vnet.subnets().keySet());

        SubnetInner gwSubnet = sdk.step("GatewaySubnet", () -> net.serviceClient().getSubnets().createOrUpdate(
                Seed.RESOURCE_GROUP, Seed.VNET, Seed.GATEWAY_SUBNET, new SubnetInner().withAddressPrefix(Seed.GATEWAY_SUBNET_PREFIX)));
        assertEquals(Seed.VNET_PATH + "/subnets/" + Seed.GATEWAY_SUBNET, gwSubnet.id());
        assertEquals(Seed.GATEWAY_SUBNET_PREFIX, gwSubnet.addressPrefix());
        Network refreshed = sdk.step("vnet refresh", vnet::refresh);
        assertEquals(Set.of(Seed.FRONTEND, Seed.GATEWAY_SUBNET), refreshed.subnets().keySet());

        PublicIpAddress pip = sdk.step("public ip", () -> net.publicIpAddresses().define(Seed.PUBLIC_IP)
                .withRegion(Seed.LOCATION).withExistingResourceGroup(Seed.RESOURCE_GROUP)
                .withSku(PublicIPSkuType.STANDARD).withStaticIP().create());
        assertEquals(Seed.PIP_PATH, pip.id());
        assertEquals(IpAllocationMethod.STATIC, pip.ipAllocationMethod());
    }

    @Test
    void seedWalkthroughWithTheAzureSdk() throws Exception {
        Seed.Certs certs = Seed.Certs.create();
        createNetworkResources();
        VirtualNetworkGatewaysClient gateways = net.serviceClient().getVirtualNetworkGateways();

        // VNet1GW, VpnGw2 Generation2, with its P2S configuration (no root yet); the SDK polls the LRO.
        VirtualNetworkGatewayInner definition = new VirtualNetworkGatewayInner()
                .withLocation(Seed.LOCATION)
                .withIpConfigurations(List.of(new VirtualNetworkGatewayIpConfigurationInner()
                        .withName("gwipconfig1")
                        .withPrivateIpAllocationMethod(IpAllocationMethod.DYNAMIC)
                        .withSubnet(new SubResource().withId(Seed.VNET_PATH + "/subnets/" + Seed.GATEWAY_SUBNET))
                        .withPublicIpAddress(new SubResource().withId(Seed.PIP_PATH))))
                .withGatewayType(VirtualNetworkGatewayType.VPN)
                .withVpnType(VpnType.ROUTE_BASED)
                .withVpnGatewayGeneration(VpnGatewayGeneration.GENERATION2)
                .withSku(new VirtualNetworkGatewaySku().withName(VirtualNetworkGatewaySkuName.VPN_GW2)
                        .withTier(VirtualNetworkGatewaySkuTier.VPN_GW2))
                .withEnableBgp(false)
                .withActive(false)
                .withVpnClientConfiguration(new VpnClientConfiguration()
                        .withVpnClientAddressPool(new AddressSpace().withAddressPrefixes(List.of(Seed.POOL)))
                        .withVpnClientProtocols(List.of(VpnClientProtocol.IKE_V2, VpnClientProtocol.OPEN_VPN))
                        .withVpnAuthenticationTypes(List.of(VpnAuthenticationType.CERTIFICATE)));
        VirtualNetworkGatewayInner created = sdk.step("gateway create (LRO)",
                () -> gateways.createOrUpdate(Seed.RESOURCE_GROUP, Seed.GATEWAY, definition));
        assertEquals(Seed.GW_PATH, created.id());
        assertEquals("Succeeded", created.provisioningState().toString());
        assertEquals(VpnGatewayGeneration.GENERATION2, created.vpnGatewayGeneration());
        assertEquals(VirtualNetworkGatewaySkuName.VPN_GW2, created.sku().name());

        // Add the root certificate the fluent way (read the gateway, change its P2S configuration, write it back).
        VirtualNetworkGateway gw = sdk.step("gateway get", () -> net.virtualNetworkGateways()
                .getByResourceGroup(Seed.RESOURCE_GROUP, Seed.GATEWAY));
        VirtualNetworkGateway withRoot = sdk.step("root certificate (fluent update)", () -> gw.update()
                .updatePointToSiteConfiguration()
                .withAzureCertificate(Seed.ROOT_NAME, certs.rootData())
                .parent()
                .apply());
        assertEquals(List.of(Seed.ROOT_NAME), withRoot.vpnClientConfiguration().vpnClientRootCertificates().stream()
                .map(c -> c.name()).toList());
        assertEquals(certs.rootData(), withRoot.vpnClientConfiguration().vpnClientRootCertificates().get(0).publicCertData());

        // Revoke a client certificate with the service client (read, add, PUT).
        VirtualNetworkGatewayInner current = sdk.step("gateway get (inner)",
                () -> gateways.getByResourceGroup(Seed.RESOURCE_GROUP, Seed.GATEWAY));
        List<VpnClientRevokedCertificate> revoked = new ArrayList<>();
        revoked.add(new VpnClientRevokedCertificate().withName(Seed.REVOKED_NAME).withThumbprint(certs.revokedThumbprint().toUpperCase()));
        current.vpnClientConfiguration().withVpnClientRevokedCertificates(revoked);
        VirtualNetworkGatewayInner afterRevoke = sdk.step("revoked certificate (PUT)",
                () -> gateways.createOrUpdate(Seed.RESOURCE_GROUP, Seed.GATEWAY, current));
        assertEquals(Seed.REVOKED_NAME, afterRevoke.vpnClientConfiguration().vpnClientRevokedCertificates().get(0).name());
        assertTrue(certs.revokedThumbprint().equalsIgnoreCase(
                afterRevoke.vpnClientConfiguration().vpnClientRevokedCertificates().get(0).thumbprint()));

        // Everything reads back through the fluent model.
        VirtualNetworkGateway fin = sdk.step("gateway get (final)", () -> net.virtualNetworkGateways()
                .getByResourceGroup(Seed.RESOURCE_GROUP, Seed.GATEWAY));
        assertEquals(VirtualNetworkGatewayType.VPN, fin.gatewayType());
        assertEquals(VpnType.ROUTE_BASED, fin.vpnType());
        assertEquals(VirtualNetworkGatewaySkuName.VPN_GW2, fin.sku().name());
        assertFalse(fin.isBgpEnabled());
        assertEquals(List.of(Seed.POOL), fin.vpnClientConfiguration().vpnClientAddressPool().addressPrefixes());
        assertEquals(List.of(VpnClientProtocol.IKE_V2, VpnClientProtocol.OPEN_VPN), fin.vpnClientConfiguration().vpnClientProtocols());
        assertEquals(1, fin.ipConfigurations().size());
        assertEquals(Seed.PIP_PATH, fin.ipConfigurations().iterator().next().publicIpAddressId());
        assertEquals(List.of(Seed.GATEWAY), sdk.step("gateway list", () -> net.virtualNetworkGateways()
                .listByResourceGroup(Seed.RESOURCE_GROUP).stream().map(VirtualNetworkGateway::name).toList()));

        // The package: generatevpnclientpackage (LRO) gives a URL that downloads without the token.
        String url = sdk.step("generatevpnclientpackage", () -> gateways.generatevpnclientpackage(Seed.RESOURCE_GROUP,
                Seed.GATEWAY, new VpnClientParameters().withProcessorArchitecture(ProcessorArchitecture.AMD64)
                        .withAuthenticationMethod(AuthenticationMethod.EAPTLS)));
        assertNotNull(url);
        HttpResponse<byte[]> zip = sdk.plainJdkClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode(), () -> new String(zip.body()));
        List<String> entries = CurlWalkthroughTest.zipEntries(zip.body());
        assertTrue(entries.contains("OpenVPN/vpnconfig.ovpn"), entries.toString());
        assertTrue(entries.contains("Generic/VpnSettings.xml"), entries.toString());

        // Sessions: none on the recording data plane; disconnecting an unknown id is not an error.
        VpnClientConnectionHealthDetailListResultInner health = sdk.step("getVpnClientConnectionHealth",
                () -> gateways.getVpnclientConnectionHealth(Seed.RESOURCE_GROUP, Seed.GATEWAY));
        assertTrue(health.value() == null || health.value().isEmpty(), String.valueOf(health.value()));
        sdk.run("disconnectVirtualNetworkGatewayVpnConnections", () -> gateways.disconnectVirtualNetworkGatewayVpnConnections(
                Seed.RESOURCE_GROUP, Seed.GATEWAY, new com.azure.resourcemanager.network.models.P2SVpnConnectionRequest()
                        .withVpnConnectionIds(List.of("OpenVPN_00000000-0000-0000-0000-000000000000"))));

        // The p2sgw token reached the server as the SDK's bearer token; no request left the server's base URI.
        String base = server.baseUri().toString();
        assertTrue(sdk.exchanges().stream().allMatch(x -> x.url().startsWith(base)), sdk.exchanges().toString());

        // The configuration reached the data plane.
        GatewaySnapshot snap = server.dataPlane().last().orElseThrow(() -> new AssertionError("no snapshot applied"));
        assertEquals(List.of(Seed.POOL), snap.addressPool());
        assertEquals(Set.of(TunnelType.IKEV2, TunnelType.OPENVPN), snap.tunnelTypes());
        assertEquals(Set.of(certs.revokedThumbprint().toLowerCase()), snap.revokedThumbprints());
        assertEquals(1, snap.trustedCertificates().size());
    }

    /** The gateway and its P2S configuration entirely through the fluent API, as in the SDK's samples. */
    @Test
    void fluentGatewayDefinitionAndPointToSiteConfiguration() throws Exception {
        Seed.Certs certs = Seed.Certs.create();
        createNetworkResources();
        Network vnet = net.networks().getByResourceGroup(Seed.RESOURCE_GROUP, Seed.VNET);
        PublicIpAddress pip = net.publicIpAddresses().getByResourceGroup(Seed.RESOURCE_GROUP, Seed.PUBLIC_IP);

        VirtualNetworkGateway gw = sdk.step("fluent gateway create", () -> net.virtualNetworkGateways().define(Seed.GATEWAY)
                .withRegion(Seed.LOCATION).withExistingResourceGroup(Seed.RESOURCE_GROUP)
                .withExistingNetwork(vnet)
                .withRouteBasedVpn()
                .withSku(VirtualNetworkGatewaySkuName.VPN_GW2)
                .withExistingPublicIpAddress(pip)
                .create());
        assertEquals(Seed.GW_PATH, gw.id());
        assertEquals(VirtualNetworkGatewaySkuName.VPN_GW2, gw.sku().name());

        KeyAndChain second = CertificateIssuer.withSystemClock().createRoot("P2SRootCert2", KeyType.EC256,
                CertificateIssuer.DEFAULT_ROOT_VALIDITY);
        VirtualNetworkGateway p2s = sdk.step("fluent definePointToSiteConfiguration", () -> gw.update()
                .definePointToSiteConfiguration()
                .withAddressPool(Seed.POOL)
                .withAzureCertificate(Seed.ROOT_NAME, certs.rootData())
                .withAzureCertificate("P2SRootCert2", Certificates.publicCertData(second.certificate()))
                .withRevokedCertificate(Seed.REVOKED_NAME, certs.revokedThumbprint())
                .withIkeV2Only()
                .attach()
                .apply());
        VpnClientConfiguration vcc = p2s.vpnClientConfiguration();
        assertEquals(List.of(Seed.POOL), vcc.vpnClientAddressPool().addressPrefixes());
        assertEquals(List.of(VpnClientProtocol.IKE_V2), vcc.vpnClientProtocols());
        assertEquals(Set.of(Seed.ROOT_NAME, "P2SRootCert2"),
                Set.copyOf(vcc.vpnClientRootCertificates().stream().map(c -> c.name()).toList()));
        assertEquals(1, vcc.vpnClientRevokedCertificates().size());

        // Removing a root through the fluent update leaves the other.
        VirtualNetworkGateway oneRoot = sdk.step("fluent withoutAzureCertificate", () -> p2s.update()
                .updatePointToSiteConfiguration().withoutAzureCertificate("P2SRootCert2").parent().apply());
        assertEquals(List.of(Seed.ROOT_NAME), oneRoot.vpnClientConfiguration().vpnClientRootCertificates().stream()
                .map(c -> c.name()).toList());
        assertEquals(1, server.dataPlane().last().orElseThrow().trustedCertificates().size());
    }

    /**
     * {@code withAzureCertificateFromFile} is how the SDK's own samples add a root: it reads a Base-64 .cer and
     * removes only the BEGIN/END lines, so the data it sends keeps its line breaks ("\nMIIB...\n...\n"). p2sgw
     * follows the rule of issue 2 / azure-p2s.md §2.3 (publicCertData is one line) and refuses it clearly.
     */
    @Test
    void rootCertificateWithLineBreaksTheSdkWayIsRefusedClearly() throws Exception {
        Seed.Certs certs = Seed.Certs.create();
        createNetworkResources();
        sdk.step("gateway create", () -> net.serviceClient().getVirtualNetworkGateways().createOrUpdate(Seed.RESOURCE_GROUP,
                Seed.GATEWAY, new VirtualNetworkGatewayInner()
                        .withLocation(Seed.LOCATION)
                        .withIpConfigurations(List.of(new VirtualNetworkGatewayIpConfigurationInner()
                                .withName("gwipconfig1")
                                .withSubnet(new SubResource().withId(Seed.VNET_PATH + "/subnets/" + Seed.GATEWAY_SUBNET))
                                .withPublicIpAddress(new SubResource().withId(Seed.PIP_PATH))))
                        .withGatewayType(VirtualNetworkGatewayType.VPN).withVpnType(VpnType.ROUTE_BASED)
                        .withVpnGatewayGeneration(VpnGatewayGeneration.GENERATION2)
                        .withSku(new VirtualNetworkGatewaySku().withName(VirtualNetworkGatewaySkuName.VPN_GW2)
                                .withTier(VirtualNetworkGatewaySkuTier.VPN_GW2))
                        .withVpnClientConfiguration(new VpnClientConfiguration()
                                .withVpnClientAddressPool(new AddressSpace().withAddressPrefixes(List.of(Seed.POOL))))));
        Path cer = dir.resolve("P2SRootCert.cer");
        Files.writeString(cer, Certificates.toPem(certs.root().certificate()).replace("\n", "\r\n"));
        VirtualNetworkGateway gw = net.virtualNetworkGateways().getByResourceGroup(Seed.RESOURCE_GROUP, Seed.GATEWAY);
        // The SDK keeps the .cer's line breaks in publicCertData. Issue 2 (azure-p2s.md §2.3) makes line breaks a
        // save error, so the SDK way is refused with the rule's code and a message that says what to send, and
        // nothing changes; uploading the one-line body works (seedWalkthroughThroughTheSdk).
        com.azure.core.management.exception.ManagementException refused = org.junit.jupiter.api.Assertions.assertThrows(
                com.azure.core.management.exception.ManagementException.class, () -> gw.update()
                        .updatePointToSiteConfiguration()
                        .withAzureCertificateFromFile(Seed.ROOT_NAME, cer.toFile())
                        .parent()
                        .apply());
        assertEquals(400, refused.getResponse().getStatusCode());
        assertEquals("InvalidVpnClientRootCertificateData", refused.getValue().getCode());
        org.junit.jupiter.api.Assertions.assertTrue(refused.getValue().getMessage().contains("one line"), refused.getValue().getMessage());
        VirtualNetworkGateway after = net.virtualNetworkGateways().getByResourceGroup(Seed.RESOURCE_GROUP, Seed.GATEWAY);
        org.junit.jupiter.api.Assertions.assertTrue(after.vpnClientConfiguration().vpnClientRootCertificates() == null
                || after.vpnClientConfiguration().vpnClientRootCertificates().isEmpty(), "nothing saved");
    }

    /** Errors reach the SDK as ManagementException with the CloudError code; deletes finish as LROs. */
    @Test
    void errorsAndDeletesThroughTheSdk() throws Exception {
        Seed.Certs certs = Seed.Certs.create();
        Walkthrough.viaArmClient(RestartTest.client(server, server.adminToken()), certs);
        VirtualNetworkGatewaysClient gateways = net.serviceClient().getVirtualNetworkGateways();

        // A pool overlapping the VNet: 400 with Azure's code and message; nothing changes.
        VirtualNetworkGatewayInner current = gateways.getByResourceGroup(Seed.RESOURCE_GROUP, Seed.GATEWAY);
        current.vpnClientConfiguration().withVpnClientAddressPool(new AddressSpace().withAddressPrefixes(List.of("10.1.128.0/24")));
        ManagementException overlap = assertThrows(ManagementException.class,
                () -> gateways.createOrUpdate(Seed.RESOURCE_GROUP, Seed.GATEWAY, current));
        assertEquals(400, overlap.getResponse().getStatusCode());
        assertEquals("VpnClientAddressPoolOverlapsVirtualNetworkAddressSpace", overlap.getValue().getCode());
        assertTrue(overlap.getValue().getMessage().contains("10.1.128.0/24"), overlap.getValue().getMessage());
        assertEquals(List.of(Seed.POOL), gateways.getByResourceGroup(Seed.RESOURCE_GROUP, Seed.GATEWAY)
                .vpnClientConfiguration().vpnClientAddressPool().addressPrefixes());

        // A missing resource: 404 (the fluent getter throws, as on Azure).
        ManagementException missing = assertThrows(ManagementException.class,
                () -> net.networks().getByResourceGroup(Seed.RESOURCE_GROUP, "NoSuchVNet"));
        assertEquals(404, missing.getResponse().getStatusCode());

        // A Reader token reads but may not write: 403.
        Curl curl = new Curl(server.caFile(), dir, server.adminToken());
        Curl.Reply created = curl.send("POST", server.baseUri() + "/providers/P2sgw/tokens?api-version=2024-05-01",
                java.util.Optional.of("{\"name\":\"sdk-reader\",\"role\":\"Reader\"}"), List.of());
        assertTrue(created.status() == 200 || created.status() == 201, created.text());
        String readerToken = created.json().path("token").asText();
        assertFalse(readerToken.isEmpty());
        NetworkManager reader = new AzureSdk(server, readerToken).manager();
        assertEquals(Seed.VNET, reader.networks().getByResourceGroup(Seed.RESOURCE_GROUP, Seed.VNET).name());
        ManagementException denied = assertThrows(ManagementException.class, () -> reader.publicIpAddresses()
                .define("other").withRegion(Seed.LOCATION).withExistingResourceGroup(Seed.RESOURCE_GROUP)
                .withSku(PublicIPSkuType.STANDARD).withStaticIP().create());
        assertEquals(403, denied.getResponse().getStatusCode());

        // Deletes, each a long-running operation the SDK follows to the end.
        sdk.run("gateway delete", () -> net.virtualNetworkGateways().deleteByResourceGroup(Seed.RESOURCE_GROUP, Seed.GATEWAY));
        assertEquals(List.of(), net.virtualNetworkGateways().listByResourceGroup(Seed.RESOURCE_GROUP).stream().toList());
        sdk.run("public ip delete", () -> net.publicIpAddresses().deleteByResourceGroup(Seed.RESOURCE_GROUP, Seed.PUBLIC_IP));
        sdk.run("vnet delete", () -> net.networks().deleteByResourceGroup(Seed.RESOURCE_GROUP, Seed.VNET));
        sdk.run("resource group delete", () -> net.resourceManager().resourceGroups().deleteByName(Seed.RESOURCE_GROUP));
        assertFalse(sdk.step("resource group exists", () -> net.resourceManager().resourceGroups().contain(Seed.RESOURCE_GROUP)));
    }

    /** Other calls SDK users make on a P2S gateway: the fluent profile URL, subscription-wide lists, tags. */
    @Test
    void otherCallsSdkUsersMake() throws Exception {
        Walkthrough.viaArmClient(RestartTest.client(server, server.adminToken()), Seed.Certs.create());
        VirtualNetworkGateway gw = net.virtualNetworkGateways().getByResourceGroup(Seed.RESOURCE_GROUP, Seed.GATEWAY);

        // VirtualNetworkGateway.generateVpnProfile() (POST generatevpnprofile) also gives a downloadable package.
        String profileUrl = sdk.step("generateVpnProfile", gw::generateVpnProfile);
        HttpResponse<byte[]> zip = sdk.plainJdkClient().send(HttpRequest.newBuilder(URI.create(profileUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        assertTrue(CurlWalkthroughTest.zipEntries(zip.body()).contains("OpenVPN/vpnconfig.ovpn"));

        // Subscription-wide lists.
        assertEquals(List.of(Seed.RESOURCE_GROUP), sdk.step("resource groups", () -> net.resourceManager().resourceGroups()
                .list().stream().map(ResourceGroup::name).toList()));
        assertEquals(List.of(Seed.VNET), sdk.step("networks", () -> net.networks().list().stream().map(Network::name).toList()));
        assertEquals(List.of(Seed.PUBLIC_IP), sdk.step("public ips", () -> net.publicIpAddresses().list().stream()
                .map(PublicIpAddress::name).toList()));
        assertEquals(List.of(Seed.FRONTEND, Seed.GATEWAY_SUBNET), sdk.step("subnets", () -> net.serviceClient().getSubnets()
                .list(Seed.RESOURCE_GROUP, Seed.VNET).stream().map(SubnetInner::name).toList()));

        // Tags through a fluent update (PUT) and through updateTags (PATCH); the P2S configuration is untouched.
        sdk.step("tags (PUT)", () -> gw.update().withTag("env", "test").apply());
        sdk.step("tags (PATCH)", () -> gw.updateTags().withTag("owner", "ops").applyTags());
        VirtualNetworkGateway tagged = net.virtualNetworkGateways().getByResourceGroup(Seed.RESOURCE_GROUP, Seed.GATEWAY);
        assertEquals(java.util.Map.of("env", "test", "owner", "ops"), tagged.tags());
        assertEquals(List.of(Seed.POOL), tagged.vpnClientConfiguration().vpnClientAddressPool().addressPrefixes());
        assertEquals(1, tagged.vpnClientConfiguration().vpnClientRootCertificates().size());
    }
}
