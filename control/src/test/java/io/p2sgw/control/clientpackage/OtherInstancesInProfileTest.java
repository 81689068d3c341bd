package io.p2sgw.control.clientpackage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 17: an OpenVPN profile lists every instance of the gateway, so that a client of a lost instance reconnects. */
class OtherInstancesInProfileTest {
    @Test
    void theOtherInstancesAreRemotesAfterThisOne() {
        ClientPackageInput seed = Fixtures.seed();
        ClientPackageInput twoInstances = new ClientPackageInput(seed.gatewayName(), seed.vnetName(), seed.serverName(),
                seed.publicAddress(), seed.openVpnTcpPort(), seed.openVpnUdpPort(), seed.tunnelTypes(), seed.routes(),
                seed.addressPool(), seed.dnsServers(), seed.serverCa(), seed.staticKey(), seed.clientCredentials(),
                List.of("198.51.100.11"));
        List<String> remotes = OpenVpnProfileRenderer.render(twoInstances, OpenVpnProfileRenderer.Variant.UDP_TLS_AUTH)
                .lines().filter(l -> l.startsWith("remote ")).toList();
        List<String> single = OpenVpnProfileRenderer.render(seed, OpenVpnProfileRenderer.Variant.UDP_TLS_AUTH)
                .lines().filter(l -> l.startsWith("remote ")).toList();
        assertEquals(single.size() + 1, remotes.size());
        assertEquals(single, remotes.subList(0, single.size()), "this instance's remotes first, as before");
        assertEquals("remote 198.51.100.11 1194", remotes.getLast());
    }
}
