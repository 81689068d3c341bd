package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.crypto.ChildKeys;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import io.p2sgw.ikev2.wire.TrafficSelector;
import java.util.List;
import java.util.Optional;

/**
 * An ESP SA pair for the data plane (ikev2.md §2.3 step 11, §6): inbound under our SPI with the "i" keys, outbound
 * under the client's SPI with the "r" keys; TSi is the client's address, TSr what it may reach.
 */
public record ChildSa(int inboundSpi, int outboundSpi, EncryptionAlgorithm encryption,
        Optional<IntegrityAlgorithm> integrity, ChildKeys keys, List<TrafficSelector> tsi,
        List<TrafficSelector> tsr) {
    @Override
    public String toString() {
        return String.format("ChildSa[in %08x out %08x %s%s]", inboundSpi, outboundSpi, encryption,
                integrity.map(i -> "/" + i).orElse(""));
    }
}
