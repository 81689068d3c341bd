package io.p2sgw.tls;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for the ClientHello reader (the first bytes an EAP-TLS peer sends): the corpus in
 * {@code ClientHelloOfferFuzzTestInputs/} runs in every {@code mvn test}; fuzz with {@code JAZZER_FUZZ=1}. It never
 * throws, and a prefix of a hello either cannot tell yet or tells what the whole hello tells: the answer from a first
 * EAP fragment is never contradicted by the rest, and a prefix never claims the extended master secret is missing when
 * the whole hello offers it.
 */
class ClientHelloOfferFuzzTest {
    @FuzzTest
    void hello(byte[] data) {
        ClientHelloOffer whole = ClientHelloOffer.of(data, 0, data.length);
        assertNotNull(whole);
        for (int cut = 0; cut < data.length; cut += Math.max(1, data.length / 16)) {
            ClientHelloOffer part = ClientHelloOffer.of(data, 0, cut);
            assertTrue(part.versions() == ClientHelloOffer.Versions.UNKNOWN || part.versions() == whole.versions(),
                    () -> "prefix says " + part + ", whole says " + whole);
            assertTrue(!part.lacksExtendedMasterSecret() || whole.lacksExtendedMasterSecret(),
                    () -> "prefix says " + part + ", whole says " + whole);
        }
    }
}
