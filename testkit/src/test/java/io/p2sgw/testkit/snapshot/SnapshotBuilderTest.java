package io.p2sgw.testkit.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.GatewaySnapshot;
import io.p2sgw.dataplane.api.TrustedCertificate;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.testkit.pki.TestPki;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotBuilderTest {
    @Test
    void theSeedGatewayWithWhatTheTestNames() {
        TestPki pki = TestPki.ec("P2SRootCert");
        GatewaySnapshot s = SnapshotBuilder.seed().version(7).pool("172.16.202.0/24").tunnelTypes(TunnelType.IKEV2)
                .trust(pki.caCertificate()).revoked(Set.of("aa".repeat(20))).limits(new ConnectionLimits(1, 2)).build();
        assertEquals(7, s.version());
        assertEquals("VNet1GW", s.gatewayName());
        assertEquals(List.of("172.16.202.0/24"), s.addressPool());
        assertEquals(List.of("10.1.0.0/16", "172.16.202.0/24"), s.routes(), "by default: the VNet and the pool");
        assertEquals(List.of(new TrustedCertificate("P2SRootCert", pki.ca().thumbprint(), pki.caCertificate())),
                s.trustedCertificates());
        assertEquals(Set.of(TunnelType.IKEV2), s.tunnelTypes());
        assertEquals(new ConnectionLimits(1, 2), s.limits());
        assertEquals(1, s.instanceCount());
        assertEquals(List.of("10.9.0.0/16"), SnapshotBuilder.seed().routes(List.of("10.9.0.0/16")).build().routes());
    }
}
