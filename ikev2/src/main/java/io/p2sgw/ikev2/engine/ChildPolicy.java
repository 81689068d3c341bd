package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import io.p2sgw.ikev2.wire.TrafficSelector;
import java.util.List;

/**
 * What the first CHILD SA may be (ikev2.md §2.4 "Recommended server suites", ESP rows) and what the client is told:
 * the VNet prefixes as TSr (narrowed to what it proposed) and the DNS servers for CFG_REPLY.
 */
public record ChildPolicy(List<EncryptionAlgorithm> encryptions, List<IntegrityAlgorithm> integrities,
        List<TrafficSelector> routes, List<byte[]> dnsServers) {
    public ChildPolicy {
        encryptions = List.copyOf(encryptions);
        integrities = List.copyOf(integrities);
        routes = List.copyOf(routes);
        dnsServers = dnsServers.stream().map(byte[]::clone).toList();
    }

    /** AES-GCM-16 and AES-CBC with SHA2-256-128, and SHA1-96 for Windows' defaults (ikev2.md §2.4). */
    public static ChildPolicy defaults(List<TrafficSelector> routes, List<byte[]> dnsServers) {
        return new ChildPolicy(List.of(EncryptionAlgorithm.AES_GCM_16_256, EncryptionAlgorithm.AES_GCM_16_128,
                EncryptionAlgorithm.AES_CBC_256, EncryptionAlgorithm.AES_CBC_128),
                List.of(IntegrityAlgorithm.HMAC_SHA2_256_128, IntegrityAlgorithm.HMAC_SHA1_96), routes, dnsServers);
    }

    @Override
    public List<byte[]> dnsServers() {
        return dnsServers.stream().map(byte[]::clone).toList();
    }
}
