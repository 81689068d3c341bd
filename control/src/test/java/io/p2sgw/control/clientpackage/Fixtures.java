package io.p2sgw.control.clientpackage;

import io.p2sgw.dataplane.api.SecretBytes;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.pki.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fixed certificates and keys (test resources clientpackage/fixtures, made once with
 * {@code io.p2sgw.pki.CertificateIssuer}) so that package output is stable for golden files.
 */
final class Fixtures {
    static final String SERVER_NAME = "vnet1gw.p2sgw.test";
    static final String PUBLIC_ADDRESS = "198.51.100.4";

    private Fixtures() {
    }

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/clientpackage/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource clientpackage/fixtures/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SecretBytes staticKey() {
        String file = resource("static.key");
        String body = file.substring(file.indexOf("-----BEGIN OpenVPN Static key V1-----") + 37, file.indexOf("-----END"));
        return SecretBytes.of(HexFormat.of().parseHex(body.replaceAll("\\s", "")));
    }

    static String clientChainPem() {
        return resource("P2SChildCert.crt");
    }

    static String clientKeyPem() {
        return resource("P2SChildCert.key");
    }

    /** The seed example: VNet1 10.1.0.0/16, pool 172.16.201.0/24, OpenVPN + IKEv2, gateway VNet1GW. */
    static ClientPackageInput seed() {
        return seed(Set.of(TunnelType.OPENVPN, TunnelType.IKEV2), List.of(), Optional.empty());
    }

    static ClientPackageInput seed(Set<TunnelType> types, List<String> dns, Optional<ClientPackageInput.ClientCredentials> creds) {
        return new ClientPackageInput("VNet1GW", "VNet1", SERVER_NAME, PUBLIC_ADDRESS, 443, 1194, types,
                List.of("10.1.0.0/16", "172.16.201.0/24"), List.of("172.16.201.0/24"), dns,
                Certificates.parseAny(resource("gateway-ca.crt")), staticKey(), creds);
    }

    static ClientPackageInput.ClientCredentials credentials() {
        return new ClientPackageInput.ClientCredentials(clientChainPem(), clientKeyPem());
    }
}
