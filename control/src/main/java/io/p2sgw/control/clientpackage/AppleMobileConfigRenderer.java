package io.p2sgw.control.clientpackage;

import io.p2sgw.pki.Certificates;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * {@code Apple/<gateway>.mobileconfig}: a configuration profile with the gateway CA
 * ({@code com.apple.security.root}) and an IKEv2 VPN ({@code com.apple.vpn.managed}) with certificate
 * authentication. Azure ships none for certificate auth (azure-p2s.md §3.2); the settings follow what
 * Apple clients need (ikev2.md §2.4): RemoteIdentifier = the server name that is a SAN of the server
 * certificate, ServerCertificateIssuerCommonName so that the client sends CERTREQ, AES-256/SHA2-256
 * with DH group 14, MOBIKE off (the gateway does not do MOBIKE, ikev2.md §5.6). The user selects the
 * client certificate after importing the .pfx (README.txt). Payload UUIDs derive from the gateway
 * name so that a regenerated profile replaces the installed one and output stays deterministic.
 */
final class AppleMobileConfigRenderer {
    /** Placeholder for the client certificate name when no client certificate was given. */
    static final String LOCAL_ID_PLACEHOLDER = "CLIENT_CERTIFICATE_NAME";

    private AppleMobileConfigRenderer() {
    }

    static String fileName(ClientPackageInput in) {
        return Text.safeName(in.gatewayName()) + ".mobileconfig";
    }

    static String render(ClientPackageInput in, String localIdentifier) {
        String id = "io.p2sgw." + Text.safeName(in.gatewayName());
        String caCn = Certificates.commonName(in.serverCa());
        String rootB64 = Base64.getMimeEncoder(52, new byte[] {'\n'}).encodeToString(Certificates.der(in.serverCa()))
                .replace("\n", "\n\t\t\t");
        StringBuilder p = new StringBuilder();
        p.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        p.append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
        p.append("<plist version=\"1.0\">\n");
        p.append("<dict>\n");
        p.append("\t<key>PayloadContent</key>\n");
        p.append("\t<array>\n");
        // 1. the gateway CA
        p.append("\t\t<dict>\n");
        kv(p, 3, "PayloadCertificateFileName", "VpnServerRoot.cer");
        p.append("\t\t\t<key>PayloadContent</key>\n");
        p.append("\t\t\t<data>\n\t\t\t").append(rootB64).append("\n\t\t\t</data>\n");
        kv(p, 3, "PayloadDescription", "Root of the VPN gateway's server certificate");
        kv(p, 3, "PayloadDisplayName", caCn);
        kv(p, 3, "PayloadIdentifier", id + ".serverroot");
        kv(p, 3, "PayloadType", "com.apple.security.root");
        kv(p, 3, "PayloadUUID", uuid(in, "serverroot"));
        p.append("\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n");
        p.append("\t\t</dict>\n");
        // 2. the VPN
        p.append("\t\t<dict>\n");
        p.append("\t\t\t<key>IKEv2</key>\n");
        p.append("\t\t\t<dict>\n");
        kv(p, 4, "AuthenticationMethod", "Certificate");
        p.append("\t\t\t\t<key>ChildSecurityAssociationParameters</key>\n");
        saParameters(p);
        p.append("\t\t\t\t<key>DeadPeerDetectionRate</key>\n\t\t\t\t<string>Medium</string>\n");
        p.append("\t\t\t\t<key>DisableMOBIKE</key>\n\t\t\t\t<integer>1</integer>\n");
        p.append("\t\t\t\t<key>DisableRedirect</key>\n\t\t\t\t<integer>1</integer>\n");
        p.append("\t\t\t\t<key>EnablePFS</key>\n\t\t\t\t<integer>0</integer>\n");
        p.append("\t\t\t\t<key>ExtendedAuthEnabled</key>\n\t\t\t\t<integer>0</integer>\n");
        p.append("\t\t\t\t<key>IKESecurityAssociationParameters</key>\n");
        saParameters(p);
        kv(p, 4, "LocalIdentifier", localIdentifier);
        kv(p, 4, "RemoteAddress", in.serverName());
        kv(p, 4, "RemoteIdentifier", in.serverName());
        kv(p, 4, "ServerCertificateIssuerCommonName", caCn);
        p.append("\t\t\t\t<key>UseConfigurationAttributeInternalIPSubnet</key>\n\t\t\t\t<integer>0</integer>\n");
        p.append("\t\t\t</dict>\n");
        p.append("\t\t\t<key>IPv4</key>\n\t\t\t<dict>\n\t\t\t\t<key>OverridePrimary</key>\n\t\t\t\t<integer>0</integer>\n\t\t\t</dict>\n");
        kv(p, 3, "PayloadDescription", "IKEv2 VPN to " + in.vnetName() + " through gateway " + in.gatewayName());
        kv(p, 3, "PayloadDisplayName", in.vnetName());
        kv(p, 3, "PayloadIdentifier", id + ".vpn");
        kv(p, 3, "PayloadType", "com.apple.vpn.managed");
        kv(p, 3, "PayloadUUID", uuid(in, "vpn"));
        p.append("\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n");
        kv(p, 3, "UserDefinedName", in.vnetName());
        kv(p, 3, "VPNType", "IKEv2");
        p.append("\t\t</dict>\n");
        p.append("\t</array>\n");
        kv(p, 1, "PayloadDescription", "VPN settings for " + in.vnetName() + " (p2sgw gateway " + in.gatewayName() + ")");
        kv(p, 1, "PayloadDisplayName", in.vnetName() + " VPN");
        kv(p, 1, "PayloadIdentifier", id);
        p.append("\t<key>PayloadRemovalDisallowed</key>\n\t<false/>\n");
        kv(p, 1, "PayloadType", "Configuration");
        kv(p, 1, "PayloadUUID", uuid(in, "profile"));
        p.append("\t<key>PayloadVersion</key>\n\t<integer>1</integer>\n");
        p.append("</dict>\n");
        p.append("</plist>\n");
        return p.toString();
    }

    private static void saParameters(StringBuilder p) {
        p.append("\t\t\t\t<dict>\n");
        p.append("\t\t\t\t\t<key>DiffieHellmanGroup</key>\n\t\t\t\t\t<integer>14</integer>\n");
        p.append("\t\t\t\t\t<key>EncryptionAlgorithm</key>\n\t\t\t\t\t<string>AES-256</string>\n");
        p.append("\t\t\t\t\t<key>IntegrityAlgorithm</key>\n\t\t\t\t\t<string>SHA2-256</string>\n");
        p.append("\t\t\t\t\t<key>LifeTimeInMinutes</key>\n\t\t\t\t\t<integer>1440</integer>\n");
        p.append("\t\t\t\t</dict>\n");
    }

    private static void kv(StringBuilder p, int indent, String key, String value) {
        String tabs = "\t".repeat(indent);
        p.append(tabs).append("<key>").append(key).append("</key>\n");
        p.append(tabs).append("<string>").append(Text.xml(value)).append("</string>\n");
    }

    private static String uuid(ClientPackageInput in, String purpose) {
        String seed = "p2sgw/" + in.gatewayName() + "/" + in.serverName() + "/" + purpose;
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().toUpperCase(java.util.Locale.ROOT);
    }
}
