package io.p2sgw.control.clientpackage;

import io.p2sgw.pki.Certificates;

/**
 * {@code AzureVPN/azurevpnconfig.xml}, the Azure VPN Client profile (azure-p2s.md §3.5): the element
 * order and nil markers follow the schema Azure exports; {@code servervalidation/Cert/hash} is the
 * gateway CA's SHA-1 thumbprint and {@code serversecret} the OpenVPN static key as 512 hex digits.
 * The inner fields of {@code clientauth/cert} are UNCONFIRMED; the client certificate is picked in
 * the Azure VPN Client after import, so they are nil.
 */
final class AzureVpnProfileRenderer {
    private AzureVpnProfileRenderer() {
    }

    static String render(ClientPackageInput in) {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.append("<AzVpnProfile xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.datacontract.org/2004/07/\">\n");
        x.append("  <any i:nil=\"true\" />\n");
        x.append("  <clientauth>\n");
        x.append("    <aad i:nil=\"true\" />\n");
        x.append("    <cert>\n");
        x.append("      <hash i:nil=\"true\" />\n");
        x.append("      <issuer i:nil=\"true\" />\n");
        x.append("    </cert>\n");
        x.append("    <type>cert</type>\n");
        x.append("    <usernamepass i:nil=\"true\" />\n");
        x.append("  </clientauth>\n");
        x.append("  <clientconfig>\n");
        if (in.dnsServers().isEmpty()) {
            x.append("    <dnsservers i:nil=\"true\" />\n");
        } else {
            x.append("    <dnsservers>\n");
            for (String d : in.dnsServers()) {
                x.append("      <dnsserver>").append(Text.xml(d)).append("</dnsserver>\n");
            }
            x.append("    </dnsservers>\n");
        }
        x.append("  </clientconfig>\n");
        x.append("  <name>").append(Text.xml(in.vnetName())).append("</name>\n");
        x.append("  <protocolconfig>\n");
        x.append("    <sslprotocolConfig>\n");
        x.append("      <transportprotocol>tcp</transportprotocol>\n");
        x.append("    </sslprotocolConfig>\n");
        x.append("  </protocolconfig>\n");
        x.append("  <serverlist>\n");
        x.append("    <ServerEntry>\n");
        x.append("      <displayname i:nil=\"true\" />\n");
        x.append("      <fqdn>").append(Text.xml(in.serverName())).append("</fqdn>\n");
        x.append("    </ServerEntry>\n");
        // The gateway's other instances (issue 17): serverlist is a list in the profile's schema. Whether the Azure
        // VPN Client moves to the next entry when one fails is not documented (UNCONFIRMED).
        for (String other : in.otherInstanceAddresses()) {
            x.append("    <ServerEntry>\n");
            x.append("      <displayname i:nil=\"true\" />\n");
            x.append("      <fqdn>").append(Text.xml(other)).append("</fqdn>\n");
            x.append("    </ServerEntry>\n");
        }
        x.append("  </serverlist>\n");
        x.append("  <servervalidation>\n");
        x.append("    <Cert>\n");
        x.append("      <hash>").append(Certificates.thumbprint(in.serverCa())).append("</hash>\n");
        x.append("      <issuer i:nil=\"true\" />\n");
        x.append("    </Cert>\n");
        x.append("    <serversecret>").append(OpenVpnStaticKeyFile.hex(in.staticKey())).append("</serversecret>\n");
        x.append("    <type>cert</type>\n");
        x.append("    <usepinnedroot>false</usepinnedroot>\n");
        x.append("  </servervalidation>\n");
        x.append("  <version>1</version>\n");
        x.append("</AzVpnProfile>\n");
        return x.toString();
    }
}
