package io.p2sgw.apitests;

import io.p2sgw.pki.CertificateIssuer;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.KeyType;

/**
 * The seed article's example values (spec/seed-p2s-certificate-portal.md "Example values") and the
 * certificates the walkthrough uploads.
 */
final class Seed {
    static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
    static final String RESOURCE_GROUP = "TestRG1";
    static final String LOCATION = "eastus";
    static final String VNET = "VNet1";
    static final String VNET_PREFIX = "10.1.0.0/16";
    static final String FRONTEND = "FrontEnd";
    static final String FRONTEND_PREFIX = "10.1.0.0/24";
    static final String GATEWAY_SUBNET = "GatewaySubnet";
    static final String GATEWAY_SUBNET_PREFIX = "10.1.255.0/27";
    static final String PUBLIC_IP = "VNet1GWpip";
    static final String GATEWAY = "VNet1GW";
    static final String SKU = "VpnGw2";
    static final String GENERATION = "Generation2";
    static final String POOL = "172.16.201.0/24";
    static final String ROOT_NAME = "P2SRootCert";
    static final String REVOKED_NAME = "lostlaptop";

    static final String RG_PATH = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + RESOURCE_GROUP;
    static final String NET = RG_PATH + "/providers/Microsoft.Network";
    static final String VNET_PATH = NET + "/virtualNetworks/" + VNET;
    static final String PIP_PATH = NET + "/publicIPAddresses/" + PUBLIC_IP;
    static final String GW_PATH = NET + "/virtualNetworkGateways/" + GATEWAY;

    /** A root and a client made like the docs' recipe; the client's thumbprint is the one revoked. */
    record Certs(KeyAndChain root, String rootData, String revokedThumbprint) {
        static Certs create() {
            CertificateIssuer issuer = CertificateIssuer.withSystemClock();
            KeyAndChain root = issuer.createRoot("P2SRootCert", KeyType.EC256, CertificateIssuer.DEFAULT_ROOT_VALIDITY);
            KeyAndChain lost = issuer.createClient(root, "P2SChildCert-lost", KeyType.EC256, CertificateIssuer.DEFAULT_CLIENT_VALIDITY);
            return new Certs(root, Certificates.publicCertData(root.certificate()), Certificates.thumbprint(lost.certificate()));
        }
    }

    private Seed() {
    }
}
