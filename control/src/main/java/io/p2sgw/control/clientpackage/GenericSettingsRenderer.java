package io.p2sgw.control.clientpackage;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.pki.Certificates;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Generic/VpnSettings.xml} (azure-p2s.md §3.3): root {@code <VpnProfile>} with the confirmed
 * {@code VpnServer}, {@code Routes} (comma-separated CIDRs), {@code ServerCertRootCn} and
 * {@code ServerCertIssuerCn}, plus the fields the spec suggests as ours ({@code VpnType},
 * {@code VpnClientAddressPool}, {@code CustomDnsServers}, and {@code SstpPort} when SSTP is not on 443).
 */
final class GenericSettingsRenderer {
    private GenericSettingsRenderer() {
    }

    static String render(ClientPackageInput in) {
        List<String> types = new ArrayList<>();
        if (in.tunnelTypes().contains(TunnelType.IKEV2)) {
            types.add("IkeV2");
        }
        if (in.tunnelTypes().contains(TunnelType.SSTP)) {
            types.add("Sstp");
        }
        String caCn = Certificates.commonName(in.serverCa());
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.append("<VpnProfile>\n");
        x.append("  <VpnServer>").append(Text.xml(in.serverName())).append("</VpnServer>\n");
        x.append("  <VpnType>").append(String.join(",", types)).append("</VpnType>\n");
        if (types.contains("Sstp") && in.openVpnTcpPort() != ServedEndpoints.DEFAULT_TCP_PORT) {
            // Ours, only when SSTP is not on 443: a client set up from this file would otherwise try 443.
            x.append("  <SstpPort>").append(in.openVpnTcpPort()).append("</SstpPort>\n");
        }
        x.append("  <Routes>").append(Text.xml(String.join(",", in.routes()))).append("</Routes>\n");
        x.append("  <VpnClientAddressPool>").append(Text.xml(String.join(",", in.addressPool()))).append("</VpnClientAddressPool>\n");
        x.append("  <CustomDnsServers>").append(Text.xml(String.join(",", in.dnsServers()))).append("</CustomDnsServers>\n");
        x.append("  <ServerCertRootCn>").append(Text.xml(caCn)).append("</ServerCertRootCn>\n");
        x.append("  <ServerCertIssuerCn>").append(Text.xml(caCn)).append("</ServerCertIssuerCn>\n");
        x.append("</VpnProfile>\n");
        return x.toString();
    }
}
