package io.p2sgw.control.clientpackage;

import io.p2sgw.control.clientpackage.ClientPackageInput.ClientCredentials;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.profile.OvpnProfiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The VPN client configuration package (azure-p2s.md §3.2) with Azure's layout where it applies and
 * p2sgw's extra profiles for clients that have no installer here:
 *
 * <pre>
 * README.txt                              always
 * OpenVPN/vpnconfig.ovpn                  OpenVPN: Azure's profile (TCP, tls-auth), placeholders
 * OpenVPN/vpnconfig-udp.ovpn              OpenVPN: UDP
 * OpenVPN/vpnconfig-tlscrypt.ovpn         OpenVPN: tls-crypt
 * OpenVPN/ready/*.ovpn                    OpenVPN + client credentials given: placeholders filled
 * AzureVPN/azurevpnconfig.xml             OpenVPN (azure-p2s.md §3.5)
 * Generic/VpnSettings.xml                 IKEv2 (§3.3)
 * Generic/VpnServerRoot.cer               IKEv2 (DER)
 * strongSwan/swanctl.conf                 IKEv2
 * strongSwan/x509ca/VpnServerRoot.pem     IKEv2
 * strongSwan/x509/client.pem, private/client.key   IKEv2 + client credentials given
 * Apple/&lt;gateway&gt;.mobileconfig            IKEv2
 * Windows/Add-P2sVpn.ps1                  IKEv2 or SSTP
 * Windows/VpnServerRoot.cer               IKEv2 or SSTP (DER)
 * </pre>
 * Pure and deterministic: the same input gives the same bytes.
 */
public final class ZipClientPackageBuilder implements ClientPackageBuilder {

    @Override
    public byte[] buildZip(ClientPackageInput input) {
        return DeterministicZip.write(files(input));
    }

    /** The package's files in zip order (README first). */
    public List<PackageFile> files(ClientPackageInput in) {
        boolean openVpn = in.tunnelTypes().contains(TunnelType.OPENVPN);
        boolean ikev2 = in.tunnelTypes().contains(TunnelType.IKEV2);
        boolean sstp = in.tunnelTypes().contains(TunnelType.SSTP);
        Optional<ClientCredentials> creds = in.clientCredentials();
        List<PackageFile> files = new ArrayList<>();
        byte[] rootDer = Certificates.der(in.serverCa());

        if (openVpn) {
            for (OpenVpnProfileRenderer.Variant v : OpenVpnProfileRenderer.Variant.values()) {
                files.add(PackageFile.text("OpenVPN/" + v.fileName, OpenVpnProfileRenderer.render(in, v)));
            }
            if (creds.isPresent()) {
                for (OpenVpnProfileRenderer.Variant v : OpenVpnProfileRenderer.Variant.values()) {
                    String filled = OvpnProfiles.fill(OpenVpnProfileRenderer.render(in, v),
                            creds.get().certificateChainPem(), creds.get().privateKeyPem());
                    files.add(PackageFile.text("OpenVPN/ready/" + v.fileName, filled));
                }
            }
            files.add(PackageFile.text("AzureVPN/azurevpnconfig.xml", AzureVpnProfileRenderer.render(in)));
        }
        if (ikev2) {
            files.add(PackageFile.text("Generic/VpnSettings.xml", GenericSettingsRenderer.render(in)));
            files.add(new PackageFile("Generic/VpnServerRoot.cer", rootDer));
            files.add(PackageFile.text("strongSwan/swanctl.conf", SwanctlRenderer.render(in)));
            files.add(PackageFile.text("strongSwan/x509ca/" + SwanctlRenderer.CA_FILE, Certificates.toPem(in.serverCa())));
            if (creds.isPresent()) {
                // Validates the pair (throws on a mismatch) the same way the OpenVPN profile is filled.
                OvpnProfiles.fill(OvpnProfiles.CERT_PLACEHOLDER + "\n" + OvpnProfiles.KEY_PLACEHOLDER + "\n",
                        creds.get().certificateChainPem(), creds.get().privateKeyPem());
                var chain = Pem.readCertificates(creds.get().certificateChainPem());
                files.add(PackageFile.text("strongSwan/x509/" + SwanctlRenderer.CLIENT_CERT_FILE, Certificates.toPem(chain.getFirst())));
                files.add(PackageFile.text("strongSwan/private/" + SwanctlRenderer.CLIENT_KEY_FILE,
                        Pem.privateKeyToPem(Pem.readPrivateKey(creds.get().privateKeyPem(), Optional.empty()))));
            }
            String localId = creds.map(c -> Certificates.commonName(Pem.readCertificates(c.certificateChainPem()).getFirst()))
                    .orElse(AppleMobileConfigRenderer.LOCAL_ID_PLACEHOLDER);
            files.add(PackageFile.text("Apple/" + AppleMobileConfigRenderer.fileName(in), AppleMobileConfigRenderer.render(in, localId)));
        }
        if (ikev2 || sstp) {
            files.add(PackageFile.text("Windows/" + WindowsScriptRenderer.FILE, WindowsScriptRenderer.render(in)));
            files.add(new PackageFile("Windows/VpnServerRoot.cer", rootDer));
        }
        List<String> paths = new ArrayList<>();
        paths.add("README.txt");
        files.forEach(f -> paths.add(f.path()));
        files.addFirst(PackageFile.text("README.txt", ReadmeRenderer.render(in, paths)));
        return List.copyOf(files);
    }
}
