package io.p2sgw.control.clientpackage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 17: an OpenVPN profile lists every instance of the gateway, so that a client of a lost instance reconnects. */
class OtherInstancesInProfileTest {
    /** The seed's package input, for a gateway whose other instances have {@code others} as public addresses. */
    static ClientPackageInput withOtherInstances(ClientPackageInput seed, List<String> others) {
        return new ClientPackageInput(seed.gatewayName(), seed.vnetName(), seed.serverName(),
                seed.publicAddress(), seed.openVpnTcpPort(), seed.openVpnUdpPort(), seed.tunnelTypes(), seed.routes(),
                seed.addressPool(), seed.dnsServers(), seed.serverCa(), seed.staticKey(), seed.clientCredentials(), others);
    }

    @Test
    void theOtherInstancesAreRemotesAfterThisOne() {
        ClientPackageInput seed = Fixtures.seed();
        ClientPackageInput twoInstances = withOtherInstances(seed, List.of("198.51.100.11"));
        List<String> remotes = OpenVpnProfileRenderer.render(twoInstances, OpenVpnProfileRenderer.Variant.UDP_TLS_AUTH)
                .lines().filter(l -> l.startsWith("remote ")).toList();
        List<String> single = OpenVpnProfileRenderer.render(seed, OpenVpnProfileRenderer.Variant.UDP_TLS_AUTH)
                .lines().filter(l -> l.startsWith("remote ")).toList();
        assertEquals(single.size() + 1, remotes.size());
        assertEquals(single, remotes.subList(0, single.size()), "this instance's remotes first, as before");
        assertEquals("remote 198.51.100.11 1194", remotes.getLast());
    }

    /**
     * strongSwan initiates to the first address of remote_addrs only (swanctl.conf(5)): each other instance gets a
     * connection of its own, with its own child to initiate, and the same server identity.
     */
    @Test
    void strongSwanGetsOneConnectionPerInstance() {
        ClientPackageInput seed = Fixtures.seed();
        String three = SwanctlRenderer.render(withOtherInstances(seed, List.of("198.51.100.11", "198.51.100.12")));
        assertEquals(List.of("    remote_addrs = " + seed.serverName(), "    remote_addrs = 198.51.100.11",
                "    remote_addrs = 198.51.100.12"), three.lines().filter(l -> l.startsWith("    remote_addrs")).toList());
        assertEquals(List.of("      VNet1GW {", "      VNet1GW-2 {", "      VNet1GW-3 {"),
                three.lines().filter(l -> l.matches(" {6}VNet1GW.* \\{")).toList(), "children to initiate, one each");
        assertEquals(3, three.lines().filter(l -> l.equals("      id = " + seed.serverName())).count());
        assertTrue(three.contains("#   swanctl --initiate --child VNet1GW-2   (198.51.100.11)\n"), three);
        assertEquals(SwanctlRenderer.render(seed), SwanctlRenderer.render(withOtherInstances(seed, List.of())),
                "one instance: the profile as before");
    }

    /** The Azure VPN Client profile's serverlist is a list: every instance is an entry, this one first. */
    @Test
    void theAzureVpnClientProfileListsEveryInstance() {
        ClientPackageInput seed = Fixtures.seed();
        String xml = AzureVpnProfileRenderer.render(withOtherInstances(seed, List.of("198.51.100.11")));
        assertEquals(List.of("      <fqdn>" + seed.serverName() + "</fqdn>", "      <fqdn>198.51.100.11</fqdn>"),
                xml.lines().filter(l -> l.contains("<fqdn>")).toList());
        assertEquals(2, xml.lines().filter(l -> l.equals("    <ServerEntry>")).count());
    }
}
