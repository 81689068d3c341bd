package io.p2sgw.apitests;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.cli.arm.ArmClient;

/** The seed walkthrough through the CLI's ARM client, for tests that need the resources but test something else. */
final class Walkthrough {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Walkthrough() {
    }

    static void viaArmClient(ArmClient arm, Seed.Certs certs) throws Exception {
        arm.put(Seed.RG_PATH, JSON.readTree("{\"location\":\"eastus\"}"), false);
        arm.put(Seed.VNET_PATH, JSON.readTree("""
                {"location":"eastus","properties":{"addressSpace":{"addressPrefixes":["10.1.0.0/16"]},
                 "subnets":[{"name":"FrontEnd","properties":{"addressPrefix":"10.1.0.0/24"}},
                            {"name":"GatewaySubnet","properties":{"addressPrefix":"10.1.255.0/27"}}]}}"""), false);
        arm.put(Seed.PIP_PATH, JSON.readTree("""
                {"location":"eastus","sku":{"name":"Standard"},"properties":{"publicIPAllocationMethod":"Static"}}"""), false);
        arm.put(Seed.GW_PATH, JSON.readTree("""
                {"location":"eastus","properties":{
                  "ipConfigurations":[{"name":"gwipconfig1","properties":{"privateIPAllocationMethod":"Dynamic",
                     "subnet":{"id":"%s/subnets/GatewaySubnet"},"publicIPAddress":{"id":"%s"}}}],
                  "gatewayType":"Vpn","vpnType":"RouteBased","vpnGatewayGeneration":"Generation2",
                  "sku":{"name":"VpnGw2","tier":"VpnGw2"},
                  "vpnClientConfiguration":{"vpnClientAddressPool":{"addressPrefixes":["172.16.201.0/24"]},
                    "vpnClientProtocols":["IkeV2","OpenVPN"],"vpnAuthenticationTypes":["Certificate"],
                    "vpnClientRootCertificates":[{"name":"P2SRootCert","properties":{"publicCertData":"%s"}}],
                    "vpnClientRevokedCertificates":[{"name":"lostlaptop","properties":{"thumbprint":"%s"}}]}}}"""
                .formatted(Seed.VNET_PATH, Seed.PIP_PATH, certs.rootData(), certs.revokedThumbprint())), false);
    }
}
