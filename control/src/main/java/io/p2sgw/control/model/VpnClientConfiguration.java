package io.p2sgw.control.model;

import io.p2sgw.dataplane.api.TunnelType;
import java.util.List;

/** The point-to-site configuration of a gateway (azure-p2s.md §1.4), certificate authentication only. */
public record VpnClientConfiguration(
        List<Ipv4Cidr> addressPool,
        List<TunnelType> protocols,
        List<String> authenticationTypes,
        List<RootCertificate> rootCertificates,
        List<RevokedCertificate> revokedCertificates) {
    public VpnClientConfiguration {
        addressPool = List.copyOf(addressPool);
        protocols = List.copyOf(protocols);
        authenticationTypes = List.copyOf(authenticationTypes);
        rootCertificates = List.copyOf(rootCertificates);
        revokedCertificates = List.copyOf(revokedCertificates);
    }
}
