package io.p2sgw.sstp.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for the ClientHello version reader (the first bytes an EAP-TLS peer sends): the corpus in
 * {@code ClientHelloVersionsFuzzTestInputs/} runs in every {@code mvn test}; fuzz with {@code JAZZER_FUZZ=1}. It never
 * throws, and a prefix of a hello either cannot tell yet (UNKNOWN) or tells what the whole hello tells: the answer
 * from a first EAP fragment is never contradicted by the rest.
 */
class ClientHelloVersionsFuzzTest {
    @FuzzTest
    void hello(byte[] data) {
        ClientHelloVersions.Offer whole = ClientHelloVersions.of(data, 0, data.length);
        assertNotNull(whole);
        for (int cut = 0; cut < data.length; cut += Math.max(1, data.length / 16)) {
            ClientHelloVersions.Offer part = ClientHelloVersions.of(data, 0, cut);
            assertTrue(part == ClientHelloVersions.Offer.UNKNOWN || part == whole, () -> "prefix says " + part
                    + ", whole says " + whole);
        }
    }
}
