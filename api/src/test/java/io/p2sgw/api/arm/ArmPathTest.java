package io.p2sgw.api.arm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.ResourceType;
import io.p2sgw.control.service.GatewayChild;
import org.junit.jupiter.api.Test;

class ArmPathTest {
    private static final String RG = "/subscriptions/s1/resourceGroups/TestRG1";
    private static final String NET = RG + "/providers/Microsoft.Network";

    @Test
    void resourceGroupsInEitherCasing() {
        assertEquals(ArmPath.Kind.RESOURCE_GROUPS, ArmPath.parse("/subscriptions/s1/resourcegroups").kind());
        ArmPath rg = ArmPath.parse("/subscriptions/s1/resourcegroups/TestRG1");
        assertEquals(ArmPath.Kind.RESOURCE_GROUP, rg.kind());
        assertEquals("TestRG1", rg.ref().orElseThrow().resourceGroup());
        assertEquals(ArmPath.Kind.RESOURCE_GROUP, ArmPath.parse(RG).kind());
    }

    @Test
    void networkResourcesChildrenAndActions() {
        ArmPath vnet = ArmPath.parse(NET + "/virtualNetworks/VNet1");
        assertEquals(ArmPath.Kind.RESOURCE, vnet.kind());
        assertEquals(ResourceType.VIRTUAL_NETWORK, vnet.ref().orElseThrow().type());
        assertEquals("VNet1", vnet.ref().orElseThrow().name());
        assertEquals(ArmPath.Kind.LIST_IN_GROUP, ArmPath.parse(NET + "/publicIPAddresses").kind());
        ArmPath subnet = ArmPath.parse(NET.toLowerCase() + "/virtualnetworks/VNet1/subnets/GatewaySubnet");
        assertEquals(ArmPath.Kind.SUBNET, subnet.kind());
        assertEquals("GatewaySubnet", subnet.childName());
        ArmPath root = ArmPath.parse(NET + "/virtualNetworkGateways/VNet1GW/vpnClientRootCertificates/ARMP2SRootCert.cer");
        assertEquals(ArmPath.Kind.GATEWAY_CHILD, root.kind());
        assertEquals(GatewayChild.ROOT_CERTIFICATES, root.gatewayChild().orElseThrow());
        assertEquals("ARMP2SRootCert.cer", root.childName(), "names may contain a period (azure-p2s.md §1.1)");
        ArmPath action = ArmPath.parse(NET + "/virtualNetworkGateways/VNet1GW/getVpnClientConnectionHealth");
        assertEquals(ArmPath.Kind.GATEWAY_ACTION, action.kind());
        assertEquals("getvpnclientconnectionhealth", action.tail());
        assertEquals(ArmPath.Kind.LIST_IN_SUBSCRIPTION, ArmPath.parse("/subscriptions/s1/providers/Microsoft.Network/virtualNetworks").kind());
        assertEquals(ArmPath.Kind.OPERATION, ArmPath.parse("/subscriptions/s1/providers/Microsoft.Network/locations/local/operations/abc").kind());
    }

    @Test
    void percentEncodedNamesAreDecodedButPlusStaysPlus() {
        assertEquals("my rg+1", ArmPath.parse("/subscriptions/s1/resourcegroups/my%20rg+1").ref().orElseThrow().resourceGroup());
    }

    @Test
    void unknownPathsAndTypesAreArmErrors() {
        ArmException type = assertThrows(ArmException.class, () -> ArmPath.parse(NET + "/loadBalancers/lb1"));
        assertEquals(404, type.status());
        assertEquals("InvalidResourceType", type.code());
        assertEquals("NotFound", assertThrows(ArmException.class, () -> ArmPath.parse(RG + "/providers/Microsoft.Compute/virtualMachines/vm")).code());
        assertEquals("NotFound", assertThrows(ArmException.class, () -> ArmPath.parse(NET + "/virtualNetworks/VNet1/subnets/a/b")).code());
        assertEquals("NotFound", assertThrows(ArmException.class, () -> ArmPath.parse(NET + "/publicIPAddresses/p/extra")).code());
    }

    @Test
    void limitsAreCheckedBeforeParsing() {
        ArmException longPath = assertThrows(ArmException.class, () -> ArmPath.parse(RG + "/" + "a".repeat(ArmPath.MAX_PATH_LENGTH)));
        assertEquals("InvalidRequestUri", longPath.code());
        ArmException badEscape = assertThrows(ArmException.class, () -> ArmPath.parse("/subscriptions/s1/resourcegroups/%zz"));
        assertEquals(400, badEscape.status());
        assertEquals("NotFound", assertThrows(ArmException.class, () -> ArmPath.parse(RG + "/a/b/c/d/e/f/g/h/i/j/k/l/m/n")).code());
    }
}
