package io.p2sgw.api.arm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.javalin.http.HandlerType;
import io.p2sgw.api.auth.Principal;
import io.p2sgw.api.auth.Role;
import io.p2sgw.control.ArmException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Azure's roles on the ARM paths (issue 13): a Reader reads, and every POST action, connection health included,
 * needs Contributor (azure-p2s.md §6.1), refused with ARM's AuthorizationFailed message.
 */
class ArmAuthorizationTest {
    private static final String NET = "/subscriptions/s1/resourceGroups/TestRG1/providers/Microsoft.Network";
    private static final String GW = NET + "/virtualNetworkGateways/VNet1GW";
    private static final Principal READER = new Principal("auditor", Role.READER);
    private static final Principal CONTRIBUTOR = new Principal("admin", Role.CONTRIBUTOR);
    /** Every POST action p2sgw serves on a gateway. */
    private static final List<String> ACTIONS = List.of("getVpnClientConnectionHealth",
            "disconnectVirtualNetworkGatewayVpnConnections", "generatevpnclientpackage", "generatevpnprofile",
            "getvpnprofilepackageurl", "resetvpnclientsharedkey");

    private static ArmException refused(Principal who, HandlerType method, String path) {
        return assertThrows(ArmException.class, () -> ArmAuthorization.check(who, method, ArmPath.parse(path), path));
    }

    @Test
    void aReaderMayCallNoGatewayAction() {
        for (String action : ACTIONS) {
            ArmException e = refused(READER, HandlerType.POST, GW + "/" + action);
            assertEquals(403, e.status(), action);
            assertEquals("AuthorizationFailed", e.code(), action);
            assertEquals("The client 'auditor' with object id 'auditor' does not have authorization to perform action"
                    + " 'Microsoft.Network/virtualNetworkGateways/" + action.toLowerCase() + "/action' over scope '" + GW + "/"
                    + action + "' or the scope is invalid. If access was recently granted, please refresh your credentials.",
                    e.getMessage());
        }
    }

    @Test
    void aContributorMayCallThemAll() {
        for (String action : ACTIONS) {
            String path = GW + "/" + action;
            assertDoesNotThrow(() -> ArmAuthorization.check(CONTRIBUTOR, HandlerType.POST, ArmPath.parse(path), path));
        }
    }

    @Test
    void aReaderReads() {
        for (String path : List.of(GW, NET + "/virtualNetworks", GW + "/vpnClientRootCertificates", "/subscriptions/s1")) {
            assertDoesNotThrow(() -> ArmAuthorization.check(READER, HandlerType.GET, ArmPath.parse(path), path));
            assertDoesNotThrow(() -> ArmAuthorization.check(READER, HandlerType.HEAD, ArmPath.parse(path), path));
        }
    }

    @Test
    void writesAndDeletesNameTheirArmOperation() {
        assertEquals("Microsoft.Network/virtualNetworks/write",
                ArmAuthorization.operation(HandlerType.PUT, ArmPath.parse(NET + "/virtualNetworks/VNet1")));
        assertEquals("Microsoft.Network/virtualNetworks/subnets/delete",
                ArmAuthorization.operation(HandlerType.DELETE, ArmPath.parse(NET + "/virtualNetworks/VNet1/subnets/FrontEnd")));
        assertEquals("Microsoft.Resources/subscriptions/resourceGroups/write",
                ArmAuthorization.operation(HandlerType.PUT, ArmPath.parse("/subscriptions/s1/resourceGroups/rg")));
        assertEquals("Microsoft.Network/virtualNetworkGateways/vpnClientRootCertificates/write",
                ArmAuthorization.operation(HandlerType.PUT, ArmPath.parse(GW + "/vpnClientRootCertificates/root1")));
        assertEquals("Microsoft.Network/publicIPAddresses/write",
                ArmAuthorization.operation(HandlerType.PATCH, ArmPath.parse(NET + "/publicIPAddresses/ip")));
        ArmException e = refused(READER, HandlerType.DELETE, NET + "/virtualNetworks/VNet1");
        assertEquals(403, e.status());
    }
}
