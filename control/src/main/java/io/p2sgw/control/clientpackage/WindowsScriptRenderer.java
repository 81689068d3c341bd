package io.p2sgw.control.clientpackage;

import io.p2sgw.dataplane.api.TunnelType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Windows/Add-P2sVpn.ps1}: what Azure's unsigned {@code VpnClientSetupAmd64.exe} does (azure-p2s.md
 * §3.2), as a readable script: trust the gateway root in the machine store (sstp.md §5.2: the SSTP and
 * IKEv2 services validate the server as the machine), create the connection named after the VNet with
 * EAP-TLS user-certificate authentication (azure-p2s.md §4.2, §4.3), add the routes Windows does not
 * learn dynamically (§4.6), and for IKEv2 pin a policy the gateway accepts (§4.2: AES256/SHA256/DH14
 * for IKE, GCM-AES-256 for ESP) instead of Windows' MODP-1024 defaults (ikev2.md §2.4).
 */
final class WindowsScriptRenderer {
    static final String FILE = "Add-P2sVpn.ps1";

    private WindowsScriptRenderer() {
    }

    static String render(ClientPackageInput in) {
        List<String> types = new ArrayList<>();
        if (in.tunnelTypes().contains(TunnelType.IKEV2)) {
            types.add("IKEv2");
        }
        if (in.tunnelTypes().contains(TunnelType.SSTP)) {
            types.add("SSTP");
        }
        StringBuilder s = new StringBuilder();
        s.append("<#\n");
        s.append(".SYNOPSIS\n");
        s.append("  Creates the VPN connection '").append(in.vnetName()).append("' to the p2sgw gateway ")
                .append(in.gatewayName()).append(" in the built-in Windows VPN client.\n");
        s.append(".DESCRIPTION\n");
        s.append("  Before running it, import your client certificate: double-click your .pfx and install it\n");
        s.append("  for the Current User (Personal store). Run this script in an elevated PowerShell, because the\n");
        s.append("  gateway's server root (VpnServerRoot.cer, next to this script) goes into the machine's\n");
        s.append("  Trusted Root store.\n");
        s.append(".PARAMETER TunnelType\n");
        s.append("  ").append(String.join(" or ", types)).append(" (enabled on the gateway when the package was generated).\n");
        s.append("#>\n");
        s.append("param(\n");
        s.append("    [ValidateSet(").append(String.join(", ", types.stream().map(Text::ps).toList())).append(")]\n");
        s.append("    [string] $TunnelType = ").append(Text.ps(types.getFirst())).append(",\n");
        s.append("    [string] $Name = ").append(Text.ps(in.vnetName())).append('\n');
        s.append(")\n");
        s.append("$ErrorActionPreference = 'Stop'\n");
        s.append("$ServerAddress = ").append(Text.ps(in.serverName())).append('\n');
        if (types.contains("SSTP") && in.openVpnTcpPort() != ServedEndpoints.DEFAULT_TCP_PORT) {
            // SSTP shares the gateway's TLS port, which is not 443 here; Windows' SSTP client takes host:port.
            // IKEv2 always uses UDP 500/4500, so the plain name stays for it.
            s.append("# The gateway serves SSTP on TCP port ").append(in.openVpnTcpPort()).append(", not 443.\n");
            s.append("if ($TunnelType -eq 'SSTP') { $ServerAddress = ")
                    .append(Text.ps(in.serverName() + ":" + in.openVpnTcpPort())).append(" }\n");
        }
        s.append("$Routes = ").append(Text.psArray(in.routes())).append("\n\n");
        s.append("# 1. Trust the root of the gateway's server certificate.\n");
        s.append("Import-Certificate -FilePath (Join-Path $PSScriptRoot 'VpnServerRoot.cer') -CertStoreLocation Cert:\\LocalMachine\\Root | Out-Null\n\n");
        s.append("# 2. EAP-TLS with your user certificate, as the Azure package configures it.\n");
        s.append("$eap = New-EapConfiguration -Tls -UserCertificate\n");
        s.append("if (Get-VpnConnection -Name $Name -ErrorAction SilentlyContinue) {\n");
        s.append("    Remove-VpnConnection -Name $Name -Force\n");
        s.append("}\n");
        s.append("Add-VpnConnection -Name $Name -ServerAddress $ServerAddress -TunnelType $TunnelType `\n");
        s.append("    -AuthenticationMethod Eap -EapConfigXmlStream $eap.EapConfigXmlStream `\n");
        s.append("    -EncryptionLevel Required -SplitTunneling -RememberCredential -Force\n\n");
        s.append("# 3. Routes to the virtual network, the client pool and custom routes.\n");
        s.append("foreach ($r in $Routes) {\n");
        s.append("    Add-VpnConnectionRoute -ConnectionName $Name -DestinationPrefix $r\n");
        s.append("}\n\n");
        if (types.contains("IKEv2")) {
            s.append("# 4. IKEv2: a policy the gateway accepts (Windows' defaults offer only DH group 2).\n");
            s.append("if ($TunnelType -eq 'IKEv2') {\n");
            s.append("    Set-VpnConnectionIPsecConfiguration -ConnectionName $Name `\n");
            s.append("        -EncryptionMethod AES256 -IntegrityCheckMethod SHA256 -DHGroup Group14 `\n");
            s.append("        -CipherTransformConstants GCMAES256 -AuthenticationTransformConstants GCMAES256 `\n");
            s.append("        -PfsGroup None -Force\n");
            s.append("}\n\n");
        }
        s.append("Write-Host \"Created VPN connection '$Name' ($TunnelType) to $ServerAddress.\"\n");
        s.append("Write-Host \"Connect from Settings > Network & Internet > VPN, or with: rasdial `\"$Name`\"\"\n");
        return s.toString().replace("\n", "\r\n");
    }
}
