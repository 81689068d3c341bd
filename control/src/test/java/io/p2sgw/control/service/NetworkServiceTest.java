package io.p2sgw.control.service;

import static io.p2sgw.control.testing.TestData.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.testing.StoreKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The use cases and the store together, on SQLite and on a real PostgreSQL. */
class NetworkServiceTest {
    static final ResourceRef VNET = new ResourceRef(SUB, RG, ResourceType.VIRTUAL_NETWORK, "VNet1");
    static final ResourceRef PIP = VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, "VNet1GWpip");
    static final ResourceRef GW = VNET.sibling(ResourceType.VIRTUAL_NETWORK_GATEWAY, "VNet1GW");

    @TempDir
    Path dir;

    NetworkService open(StoreKind kind) {
        return new NetworkService(Database.open(kind.newUrl(dir)));
    }

    static void seed(NetworkService s) {
        s.putResourceGroup(SUB, RG, json(rgBody()));
        s.putVirtualNetwork(VNET, json(vnetBody()), Preconditions.NONE);
        s.putPublicIp(PIP, json(pipBody()), Preconditions.NONE);
        s.putGateway(GW, json(seedGateway()), Preconditions.NONE);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void seedWalkthroughIsStoredInArmShape(StoreKind kind) {
        NetworkService s = open(kind);
        AtomicInteger changes = new AtomicInteger();
        s.addChangeListener(changes::incrementAndGet);
        seed(s);
        assertEquals(4, changes.get());

        ObjectNode gw = s.get(GW);
        assertEquals(GW.id(), gw.get("id").asText());
        assertEquals("Microsoft.Network/virtualNetworkGateways", gw.get("type").asText());
        assertTrue(gw.get("etag").asText().matches("W/\"[0-9a-f-]{36}\""));
        assertEquals("Updating", gw.at("/properties/provisioningState").asText());
        assertEquals("VpnGw2", gw.at("/properties/sku/name").asText());
        assertEquals("Generation2", gw.at("/properties/vpnGatewayGeneration").asText());
        assertTrue(gw.at("/properties/someFutureProperty/kept").asBoolean(), "unknown properties are carried through");
        assertEquals(REVOKED, gw.at("/properties/vpnClientConfiguration/vpnClientRevokedCertificates/0/properties/thumbprint").asText());
        assertEquals(GW.id() + "/vpnClientRootCertificates/P2SRootCert",
                gw.at("/properties/vpnClientConfiguration/vpnClientRootCertificates/0/id").asText());
        assertFalse(gw.toString().contains("staticKey"), "secrets are not part of the document");

        s.finishProvisioning(GW);
        ObjectNode done = s.get(GW);
        assertEquals("Succeeded", done.at("/properties/provisioningState").asText());
        assertEquals(gw.get("etag"), done.get("etag"), "finishing provisioning keeps the etag");

        ObjectNode subnet = s.getSubnet(VNET, "gatewaysubnet");
        assertEquals("10.1.255.0/27", subnet.at("/properties/addressPrefix").asText());
        assertEquals(List.of("10.1.0.4"), List.of(s.get(VNET).at("/properties/dhcpOptions/dnsServers/0").asText()));

        GatewayState state = s.gatewayState(GW).orElseThrow();
        assertEquals("VNet1", state.vnetRef().name());
        assertEquals(256, state.staticKey().bytes().length);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void wrongEtagIs412AndChangesNothing(StoreKind kind) {
        NetworkService s = open(kind);
        seed(s);
        ObjectNode before = s.get(VNET);
        ObjectNode update = json(vnetBody());
        update.with("properties").with("addressSpace").withArray("addressPrefixes").add("10.2.0.0/16");
        ArmException e = assertThrows(ArmException.class,
                () -> s.putVirtualNetwork(VNET, update, Preconditions.ifMatch("W/\"00000000-0000-0000-0000-000000000000\"")));
        assertEquals(412, e.status());
        assertEquals("PreconditionFailed", e.code());
        assertEquals(before, s.get(VNET));

        WriteResult ok = s.putVirtualNetwork(VNET, update, Preconditions.ifMatch(before.get("etag").asText()));
        assertFalse(ok.created());
        assertNotEquals(before.get("etag"), ok.body().get("etag"));
        assertEquals(2, s.get(VNET).at("/properties/addressSpace/addressPrefixes").size());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFailingRuleLeavesEverythingUnchanged(StoreKind kind) {
        NetworkService s = open(kind);
        seed(s);
        ObjectNode before = s.get(GW);
        ObjectNode bad = json(gatewayBody("VpnGw2", "Generation2",
                "'vpnClientAddressPool':{'addressPrefixes':['10.1.1.0/26']}"));
        ArmException e = assertThrows(ArmException.class, () -> s.putGateway(GW, bad, Preconditions.NONE));
        assertEquals("The virtual network gateway's VPN client address pool overlaps with the virtual network's address"
                + " space. The overlapping address space prefixes are 10.1.0.0/16 and 10.1.1.0/26.", e.getMessage());
        assertEquals(before, s.get(GW));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void restartKeepsEveryResource(StoreKind kind) {
        String url = kind.newUrl(dir);
        NetworkService first = new NetworkService(Database.open(url));
        seed(first);
        ObjectNode gw = first.get(GW);
        byte[] key = first.gatewayState(GW).orElseThrow().staticKey().bytes();

        NetworkService second = new NetworkService(Database.open(url));
        assertEquals(gw, second.get(GW));
        assertEquals(first.get(VNET), second.get(VNET));
        assertEquals(first.get(PIP), second.get(PIP));
        assertArrayEquals(key, second.gatewayState(GW).orElseThrow().staticKey().bytes());
        second.finishAllProvisioning();
        assertEquals("Succeeded", second.get(GW).at("/properties/provisioningState").asText());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void childResourcesAndStaticKeyRotation(StoreKind kind) {
        NetworkService s = open(kind);
        seed(s);
        WriteResult added = s.putGatewayChild(GW, GatewayChild.REVOKED_CERTIFICATES, "stolen",
                json("{'properties':{'thumbprint':'AA BB CC DD EE FF 00 11 22 33 44 55 66 77 88 99 aa bb cc dd'}}"), Preconditions.NONE);
        assertTrue(added.created());
        assertEquals("aabbccddeeff00112233445566778899aabbccdd", added.body().at("/properties/thumbprint").asText());
        assertEquals(2, s.listGatewayChildren(GW, GatewayChild.REVOKED_CERTIFICATES).size());
        assertTrue(s.deleteGatewayChild(GW, GatewayChild.REVOKED_CERTIFICATES, "lostlaptop", Preconditions.NONE));
        assertFalse(s.deleteGatewayChild(GW, GatewayChild.REVOKED_CERTIFICATES, "lostlaptop", Preconditions.NONE));
        assertEquals(List.of("stolen"), s.listGatewayChildren(GW, GatewayChild.REVOKED_CERTIFICATES).stream()
                .map(n -> n.get("name").asText()).toList());

        byte[] before = s.gatewayState(GW).orElseThrow().staticKey().bytes();
        s.resetStaticKey(GW);
        assertFalse(java.util.Arrays.equals(before, s.gatewayState(GW).orElseThrow().staticKey().bytes()));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void inUseResourcesCannotBeDeletedAndGroupDeleteCascades(StoreKind kind) {
        NetworkService s = open(kind);
        seed(s);
        ArmException subnet = assertThrows(ArmException.class, () -> s.deleteSubnet(VNET, "GatewaySubnet", Preconditions.NONE));
        assertEquals("InUseSubnetCannotBeDeleted", subnet.code());
        ArmException vnet = assertThrows(ArmException.class, () -> s.delete(VNET, Preconditions.NONE, operationsInProgress()));
        assertEquals("InUseSubnetCannotBeDeleted", vnet.code());
        ArmException pip = assertThrows(ArmException.class, () -> s.delete(PIP, Preconditions.NONE, operationsInProgress()));
        assertEquals("PublicIPAddressCannotBeDeleted", pip.code());
        assertEquals(1, s.list(SUB, Optional.of(RG), ResourceType.VIRTUAL_NETWORK_GATEWAY).size());

        assertTrue(s.delete(GW, Preconditions.NONE, operationsInProgress()));
        assertFalse(s.delete(GW, Preconditions.NONE, operationsInProgress()));
        assertTrue(s.deleteSubnet(VNET, "GatewaySubnet", Preconditions.NONE));
        assertTrue(s.deleteResourceGroup(SUB, RG, operationsInProgress()));
        assertTrue(s.listResourceGroups(SUB).isEmpty());
        ArmException gone = assertThrows(ArmException.class, () -> s.get(VNET));
        assertEquals(404, gone.status());
        assertEquals("ResourceGroupNotFound", gone.code());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void secondGatewayOnTheSameVnetOrPublicIpIsRefused(StoreKind kind) {
        NetworkService s = open(kind);
        seed(s);
        ResourceRef other = GW.sibling(ResourceType.VIRTUAL_NETWORK_GATEWAY, "Other");
        ArmException e = assertThrows(ArmException.class, () -> s.putGateway(other, json(seedGateway()), Preconditions.NONE));
        assertEquals("PublicIPAddressInUse", e.code());
        assertEquals(1, s.gatewayStates().size());
    }

    /**
     * A public IP shows the gateway ipConfiguration that uses it ({@code properties.ipConfiguration.id}, as Azure),
     * in GET, list and PUT answers, derived when read: it goes away with the gateway and is never taken from a body.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void publicIpShowsTheIpConfigurationThatUsesIt(StoreKind kind) {
        NetworkService s = open(kind);
        seed(s);
        String ipConfigurationId = GW.id() + "/ipConfigurations/gwipconfig1";
        assertEquals(ipConfigurationId, s.get(PIP).at("/properties/ipConfiguration/id").asText());
        ObjectNode listed = s.list(SUB, Optional.of(RG), ResourceType.PUBLIC_IP_ADDRESS).getFirst();
        assertEquals(ipConfigurationId, listed.at("/properties/ipConfiguration/id").asText());
        assertEquals(ipConfigurationId, s.list(SUB, Optional.empty(), ResourceType.PUBLIC_IP_ADDRESS).getFirst()
                .at("/properties/ipConfiguration/id").asText());
        // A client PUTs back what it read: the answer still names the real user, and nothing of it is stored.
        ObjectNode echoed = s.get(PIP);
        assertEquals(ipConfigurationId, s.putPublicIp(PIP, echoed, Preconditions.NONE).body().at("/properties/ipConfiguration/id").asText());

        ResourceRef spare = PIP.sibling(ResourceType.PUBLIC_IP_ADDRESS, "spare");
        ObjectNode claimed = json(pipBody());
        claimed.with("properties").putObject("ipConfiguration").put("id", ipConfigurationId);
        assertTrue(s.putPublicIp(spare, claimed, Preconditions.NONE).body().at("/properties/ipConfiguration").isMissingNode(),
                "a read-only back-reference in a body is not taken");
        assertTrue(s.get(spare).at("/properties/ipConfiguration").isMissingNode());

        assertTrue(s.delete(GW, Preconditions.NONE, operationsInProgress()));
        assertTrue(s.get(PIP).at("/properties/ipConfiguration").isMissingNode(), "gone with the gateway");
    }
}
