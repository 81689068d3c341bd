package io.p2sgw.control.snapshot;

import static io.p2sgw.control.testing.TestData.*;
import static org.junit.jupiter.api.Assertions.*;

import io.p2sgw.control.ArmException;
import io.p2sgw.control.instance.Membership;
import io.p2sgw.control.model.ResourceRef;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.rules.CertificateData;
import io.p2sgw.control.service.GatewayChild;
import io.p2sgw.control.service.NetworkService;
import io.p2sgw.control.service.Preconditions;
import io.p2sgw.control.store.Database;
import io.p2sgw.control.store.InstanceRepository.InstanceRow;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.testkit.dataplane.RecordingDataPlane;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served gateway's snapshot follows every committed write, and only committed writes. */
class GatewayPublisherTest {
    static final ResourceRef VNET = new ResourceRef(SUB, RG, ResourceType.VIRTUAL_NETWORK, "VNet1");
    static final ResourceRef GW = VNET.sibling(ResourceType.VIRTUAL_NETWORK_GATEWAY, "VNet1GW");

    @TempDir
    Path dir;

    @Test
    void compilesAppliesAndClears() {
        NetworkService s = new NetworkService(Database.open(Database.sqliteUrl(dir)));
        RecordingDataPlane dp = new RecordingDataPlane();
        GatewayPublisher publisher = new GatewayPublisher(s, dp, Optional.empty(), "vpn.example.test");
        s.addChangeListener(publisher::refresh);

        s.putResourceGroup(SUB, RG, json(rgBody()));
        s.putVirtualNetwork(VNET, json(vnetBody()), Preconditions.NONE);
        s.putPublicIp(VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, "VNet1GWpip"), json(pipBody()), Preconditions.NONE);
        assertTrue(dp.applied.isEmpty(), "nothing to serve before a gateway exists");
        s.putGateway(GW, json(gatewayBody("VpnGw2", "Generation2", seedP2s()
                .replace("'vpnClientProtocols':['IkeV2','OpenVPN']", "'vpnClientProtocols':['IkeV2','OpenVPN']")) .replace(
                "'enableBgp':false", "'enableBgp':false,'customRoutes':{'addressPrefixes':['192.168.50.0/24']}")), Preconditions.NONE);

        assertEquals(1, dp.applied.size());
        GatewaySnapshot snap = dp.applied.getFirst();
        assertEquals(GW.id(), snap.gatewayId());
        assertEquals(List.of("172.16.201.0/24"), snap.addressPool());
        assertEquals(Set.of(TunnelType.IKEV2, TunnelType.OPENVPN), snap.tunnelTypes());
        assertEquals(List.of("10.1.0.0/16", "172.16.201.0/24", "192.168.50.0/24"), snap.routes());
        assertEquals(List.of("10.1.0.4"), snap.dnsServers());
        assertEquals(Set.of(REVOKED), snap.revokedThumbprints());
        assertEquals(io.p2sgw.pki.Certificates.thumbprint(rootCertificate()), snap.trustedCertificates().getFirst().thumbprint());
        assertEquals(rootCertificate(), snap.trustedCertificates().getFirst().certificate());
        assertEquals(new ConnectionLimits(128, 500), snap.limits());
        assertEquals("vpn.example.test", snap.serverName());
        assertEquals(Optional.of(GW.id()), publisher.servedGatewayId());

        // A write that does not change the snapshot is not re-applied; one that does is.
        s.patchTags(VNET, json("{'tags':{'a':'b'}}"), Preconditions.NONE);
        assertEquals(1, dp.applied.size());
        s.putGatewayChild(GW, GatewayChild.REVOKED_CERTIFICATES, "stolen",
                json("{'properties':{'thumbprint':'AABBCCDDEEFF00112233445566778899AABBCCDD'}}"), Preconditions.NONE);
        assertEquals(2, dp.applied.size());
        assertTrue(dp.applied.get(1).version() > snap.version());
        assertTrue(dp.applied.get(1).revokedThumbprints().contains("aabbccddeeff00112233445566778899aabbccdd"));

        // A failing write changes nothing and applies nothing.
        assertThrows(ArmException.class, () -> s.putGatewayChild(GW, GatewayChild.REVOKED_CERTIFICATES, "bad",
                json("{'properties':{'thumbprint':'xyz'}}"), Preconditions.NONE));
        assertEquals(2, dp.applied.size());

        s.resetStaticKey(GW);
        assertEquals(3, dp.applied.size());
        assertNotEquals(dp.applied.get(1).secretOf(TunnelType.OPENVPN), dp.applied.get(2).secretOf(TunnelType.OPENVPN));
        assertEquals(256, dp.applied.get(2).secretOf(TunnelType.OPENVPN).orElseThrow().length());

        s.delete(GW, Preconditions.NONE, operationsInProgress());
        assertEquals(1, dp.clears());
        assertEquals(Optional.empty(), publisher.servedGatewayId());
    }

    /**
     * Compiling the same stored state twice gives snapshots that are equal as values (the static key is read into a
     * fresh array each time: a {@code byte[]} component would make them differ), so the publisher skips the no-op.
     */
    @Test
    void theSameStateCompilesToAnEqualSnapshot() {
        NetworkService s = new NetworkService(Database.open(Database.sqliteUrl(dir)));
        s.putResourceGroup(SUB, RG, json(rgBody()));
        s.putVirtualNetwork(VNET, json(vnetBody()), Preconditions.NONE);
        s.putPublicIp(VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, "VNet1GWpip"), json(pipBody()), Preconditions.NONE);
        s.putGateway(GW, json(seedGateway()), Preconditions.NONE);
        GatewaySnapshot a = SnapshotCompiler.compile(s.gatewayState(GW).orElseThrow(), "gw", 7);
        GatewaySnapshot b = SnapshotCompiler.compile(s.gatewayState(GW).orElseThrow(), "gw", 7);
        assertEquals(a, b);
        assertTrue(a.withVersion(8).sameDesiredState(b));
        assertTrue(a.secretOf(TunnelType.OPENVPN).isPresent(), "the seed gateway serves OpenVPN");
    }

    /** The OpenVPN key is OpenVPN's: a gateway that does not serve it does not ship it to the data plane. */
    @Test
    void onlyAnOpenVpnGatewayCarriesTheStaticKey() {
        NetworkService s = new NetworkService(Database.open(Database.sqliteUrl(dir)));
        s.putResourceGroup(SUB, RG, json(rgBody()));
        s.putVirtualNetwork(VNET, json(vnetBody()), Preconditions.NONE);
        s.putPublicIp(VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, "VNet1GWpip"), json(pipBody()), Preconditions.NONE);
        s.putGateway(GW, json(gatewayBody("VpnGw2", "Generation2", seedP2s()
                .replace("'vpnClientProtocols':['IkeV2','OpenVPN']", "'vpnClientProtocols':['IkeV2']"))), Preconditions.NONE);
        GatewaySnapshot snap = SnapshotCompiler.compile(s.gatewayState(GW).orElseThrow(), "gw", 1);
        assertEquals(Set.of(TunnelType.IKEV2), snap.tunnelTypes());
        assertEquals(java.util.Map.of(), snap.tunnelSecrets());
    }

    /**
     * Issue 12: {@code activeActive: true} made the snapshot ask for half the pool (instance 0 of two) on the one
     * instance there is. The only instance serves the whole pool.
     */
    @Test
    void anActiveActiveGatewayIsServedWholeByTheOnlyInstance() {
        NetworkService s = activeActiveGateway();
        GatewaySnapshot snap = SnapshotCompiler.compile(s.gatewayState(GW).orElseThrow(), "gw", 1);
        assertTrue(snap.activeActive());
        assertEquals(1, snap.instanceCount());
        assertEquals(0, snap.instanceIndex());
    }

    /** Issue 17: with two live instances, each serves its half of an active-active pool; a third stands by. */
    @Test
    void twoLiveInstancesSplitAnActiveActivePoolAndAThirdStandsBy() {
        NetworkService s = activeActiveGateway();
        var live = List.of(row("a", 0), row("b", 1), row("c", 2));
        for (int slot = 0; slot < 2; slot++) {
            RecordingDataPlane dp = new RecordingDataPlane();
            Membership m = new Membership(live.get(slot).name(), slot, live);
            new GatewayPublisher(s, dp, Optional.empty(), "gw", () -> m).refresh();
            assertEquals(1, dp.applied.size());
            assertEquals(2, dp.applied.getFirst().instanceCount());
            assertEquals(slot, dp.applied.getFirst().instanceIndex());
        }
        RecordingDataPlane standby = new RecordingDataPlane();
        GatewayPublisher third = new GatewayPublisher(s, standby, Optional.empty(), "gw", () -> new Membership("c", 2, live));
        third.refresh();
        assertEquals(List.of(), standby.applied);
        assertEquals(1, standby.clears());
        assertEquals(Optional.empty(), third.servedGatewayId());
    }

    private static InstanceRow row(String name, int slot) {
        java.time.Instant t = java.time.Instant.parse("2026-12-04T12:00:00Z");
        return new InstanceRow(name, slot, "incarnation-" + name, "198.51.100." + (10 + slot), t, t);
    }

    private NetworkService activeActiveGateway() {
        NetworkService s = new NetworkService(Database.open(Database.sqliteUrl(dir)));
        s.putResourceGroup(SUB, RG, json(rgBody()));
        s.putVirtualNetwork(VNET, json(vnetBody()), Preconditions.NONE);
        String ipc = "{'name':'%s','properties':{'subnet':{'id':'" + id("virtualNetworks/VNet1/subnets/GatewaySubnet")
                + "'},'publicIPAddress':{'id':'" + id("publicIPAddresses/%s") + "'}}}";
        StringBuilder three = new StringBuilder();
        for (String n : List.of("p1", "p2", "p3")) {
            s.putPublicIp(VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, n), json(pipBody()), Preconditions.NONE);
            three.append(three.isEmpty() ? "" : ",").append(String.format(ipc, "c" + n, n));
        }
        s.putGateway(GW, json("{'location':'eastus','properties':{'activeActive':true,'gatewayType':'Vpn','vpnType':'RouteBased',"
                + "'vpnGatewayGeneration':'Generation2','sku':{'name':'VpnGw2AZ','tier':'VpnGw2AZ'},'ipConfigurations':["
                + three + "],'vpnClientConfiguration':{" + seedP2s() + "}}}"), Preconditions.NONE);
        return s;
    }

    @Test
    void configuredGatewayThatDoesNotExistServesNothing() {
        NetworkService s = new NetworkService(Database.open(Database.sqliteUrl(dir)));
        RecordingDataPlane dp = new RecordingDataPlane();
        GatewayPublisher publisher = new GatewayPublisher(s, dp, Optional.of(id("virtualNetworkGateways/Other")), "gw");
        s.addChangeListener(publisher::refresh);
        s.putResourceGroup(SUB, RG, json(rgBody()));
        s.putVirtualNetwork(VNET, json(vnetBody()), Preconditions.NONE);
        s.putPublicIp(VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, "VNet1GWpip"), json(pipBody()), Preconditions.NONE);
        s.putGateway(GW, json(seedGateway()), Preconditions.NONE);
        assertTrue(dp.applied.isEmpty());
        assertEquals(Optional.empty(), publisher.servedGatewayId());
    }

    private static io.p2sgw.dataplane.api.SessionInfo session(String id, TunnelType type) {
        return new io.p2sgw.dataplane.api.SessionInfo(id, type, "user-" + id, "0123456789abcdef0123456789abcdef01234567",
                new java.net.InetSocketAddress(java.net.InetAddress.ofLiteral("203.0.113.7"), 50000), "172.16.201.9",
                java.time.Instant.parse("2026-12-04T11:00:00Z"), 1, 2, 3, 4);
    }

    @Test
    void theSessionsTheOtherLiveInstancesReportCountAgainstTheSkuCapsInTheSnapshot() {
        String url = io.p2sgw.control.testing.StoreKind.POSTGRESQL.newUrl(dir);
        Database db = Database.open(url);
        NetworkService s = new NetworkService(db);
        s.putResourceGroup(SUB, RG, json(rgBody()));
        s.putVirtualNetwork(VNET, json(vnetBody()), Preconditions.NONE);
        s.putPublicIp(VNET.sibling(ResourceType.PUBLIC_IP_ADDRESS, "VNet1GWpip"), json(pipBody()), Preconditions.NONE);
        s.putGateway(GW, json(seedGateway().replace("['IkeV2','OpenVPN']", "['IkeV2','SSTP']")), Preconditions.NONE);
        var clock = new io.p2sgw.control.testing.MutableClock(java.time.Instant.parse("2026-12-04T12:00:00Z"));
        var ra = new io.p2sgw.control.instance.InstanceRegistry(db, clock, "a", "198.51.100.10",
                io.p2sgw.control.instance.InstanceRegistry.LAPSE);
        var rb = new io.p2sgw.control.instance.InstanceRegistry(db, clock, "b", "198.51.100.11",
                io.p2sgw.control.instance.InstanceRegistry.LAPSE);
        ra.register();
        rb.register();
        RecordingDataPlane planeA = new RecordingDataPlane();
        RecordingDataPlane planeB = new RecordingDataPlane();
        var sharedA = new io.p2sgw.control.instance.SharedSessions(db, "a", planeA, () -> Optional.of(GW.id()), clock);
        var sharedB = new io.p2sgw.control.instance.SharedSessions(Database.open(url), "b", planeB,
                () -> Optional.of(GW.id()), clock);
        GatewayPublisher a = new GatewayPublisher(s, planeA, Optional.empty(), "vpn.example.test", ra::current,
                sharedA::withSessionsElsewhere);

        planeA.sessions.add(session("IKEv2_a1", TunnelType.IKEV2));
        planeB.sessions.addAll(List.of(session("IKEv2_b1", TunnelType.IKEV2), session("IKEv2_b2", TunnelType.IKEV2),
                session("SSTP_b3", TunnelType.SSTP)));
        sharedA.report();
        sharedB.report();
        a.refresh();
        assertEquals(new ConnectionLimits(128, 500, 1, 2), planeA.current().orElseThrow().limits(),
                "b's sessions count, a's own are counted by its data plane");

        planeB.sessions.removeIf(i -> i.vpnConnectionId().equals("IKEv2_b2"));
        sharedB.report();
        a.refresh();
        assertEquals(new ConnectionLimits(128, 500, 1, 1), planeA.current().orElseThrow().limits());

        rb.unregister();
        a.refresh();
        assertEquals(new ConnectionLimits(128, 500), planeA.current().orElseThrow().limits(),
                "an instance that is gone holds no sessions");
    }
}
