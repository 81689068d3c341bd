package io.p2sgw.control.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.service.OperationsInProgress;
import io.p2sgw.testkit.pki.TestPki;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;

/** The seed walkthrough's resources (azure-p2s.md §1.4 example values) as ARM request bodies. */
public final class TestData {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String SUB = "00000000-0000-0000-0000-000000000001";
    public static final String RG = "TestRG1";
    public static final String REVOKED = "51ab1edd8da4cfed77e20061c5eb6d2ef2f778c7";
    private static X509Certificate root;

    private TestData() {}

    /** The check of deletes that take gateways with them, on the system clock, with a plain 409 naming the holder. */
    public static OperationsInProgress operationsInProgress() {
        return new OperationsInProgress(Clock.systemUTC(), (gw, operation) -> ArmException.conflict(
                "AnotherOperationInProgress", "operation " + operation + " is in progress on " + gw.id()));
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static synchronized X509Certificate rootCertificate() {
        if (root == null) {
            root = TestPki.ec("P2SRootCert").caCertificate();
        }
        return root;
    }

    public static String publicCertData() {
        try {
            return Base64.getEncoder().encodeToString(rootCertificate().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String rgBody() {
        return "{'location':'eastus'}";
    }

    public static String vnetBody() {
        return "{'location':'eastus','tags':{'env':'test'},'properties':{'addressSpace':{'addressPrefixes':['10.1.0.0/16']},"
                + "'dhcpOptions':{'dnsServers':['10.1.0.4']},'subnets':[{'name':'FrontEnd','properties':{'addressPrefix':'10.1.0.0/24'}},"
                + "{'name':'GatewaySubnet','properties':{'addressPrefix':'10.1.255.0/27'}}]}}";
    }

    public static String pipBody() {
        return "{'location':'eastus','sku':{'name':'Standard'},'properties':{'publicIPAllocationMethod':'Static'}}";
    }

    public static String id(String typeAndName) {
        return "/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Network/" + typeAndName;
    }

    /** The gateway PUT body with a P2S configuration whose vpnClientConfiguration members are given raw. */
    public static String gatewayBody(String sku, String generation, String vpnClientConfiguration) {
        return "{'location':'eastus','properties':{'ipConfigurations':[{'name':'gwipconfig1','properties':{"
                + "'privateIPAllocationMethod':'Dynamic','subnet':{'id':'" + id("virtualNetworks/VNet1/subnets/GatewaySubnet") + "'},"
                + "'publicIPAddress':{'id':'" + id("publicIPAddresses/VNet1GWpip") + "'}}}],"
                + "'gatewayType':'Vpn','vpnType':'RouteBased','vpnGatewayGeneration':'" + generation + "',"
                + "'sku':{'name':'" + sku + "','tier':'" + sku + "'},'activeActive':false,'enableBgp':false,"
                + "'someFutureProperty':{'kept':true}"
                + (vpnClientConfiguration == null ? "" : ",'vpnClientConfiguration':{" + vpnClientConfiguration + "}")
                + "}}";
    }

    public static String seedP2s() {
        return "'vpnClientAddressPool':{'addressPrefixes':['172.16.201.0/24']},'vpnClientProtocols':['IkeV2','OpenVPN'],"
                + "'vpnAuthenticationTypes':['Certificate'],"
                + "'vpnClientRootCertificates':[{'name':'P2SRootCert','properties':{'publicCertData':'" + publicCertData() + "'}}],"
                + "'vpnClientRevokedCertificates':[{'name':'lostlaptop','properties':{'thumbprint':'" + REVOKED.toUpperCase() + "'}}]";
    }

    public static String seedGateway() {
        return gatewayBody("VpnGw2", "Generation2", seedP2s());
    }
}
