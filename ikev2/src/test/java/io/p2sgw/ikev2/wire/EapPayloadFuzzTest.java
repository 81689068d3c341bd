package io.p2sgw.ikev2.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.p2sgw.tls.eap.EapException;
import io.p2sgw.tls.eap.EapPacket;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Jazzer fuzz target for the EAP payload decoder (RFC 7296 §3.16, RFC 3748 §4), what an IKE_AUTH request of the EAP
 * path carries to the core's EAP-TLS method. In a normal {@code mvn test} it runs as a regression test over the seeds
 * in {@code src/test/resources/io/p2sgw/ikev2/wire/EapPayloadFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} it fuzzes.
 * The input is an EAP payload's body: it decodes (inside a payload chain, as the engine reads it) or fails with
 * INVALID_SYNTAX, never otherwise; what decodes is exactly the input, re-encodes to it, and is a packet the core's
 * EAP codec ({@link EapPacket#parse}) accepts with the same Code, Identifier and length.
 */
class EapPayloadFuzzTest {

    @FuzzTest
    void eap(byte[] data) throws EapException {
        if (data.length > Payload.MAX_BODY_LENGTH) {
            return;
        }
        // The body behind a generic payload header of type EAP, as the last payload of a chain.
        ByteBuffer chain = ByteBuffer.allocate(Payload.HEADER_LENGTH + data.length);
        chain.put((byte) 0).put((byte) 0).putShort((short) (Payload.HEADER_LENGTH + data.length)).put(data);
        byte[] bytes = chain.array();
        IkeMessageFuzzTest.parse("EapPayload in a chain",
                () -> PayloadChain.decode(bytes, 0, bytes.length, PayloadType.EAP.code(), 0, true)).ifPresent(ps -> {
                    assertEquals(1, ps.size());
                    EapPayload eap = (EapPayload) ps.getFirst();
                    assertArrayEquals(data, eap.message(), "the payload is the whole EAP message");
                    ByteBuffer out = ByteBuffer.allocate(PayloadChain.encodedLength(List.of(eap)));
                    PayloadChain.encode(List.of(eap), out);
                    assertArrayEquals(bytes, out.array());
                });
        IkeMessageFuzzTest.parse("EapPayload.decode", () -> EapPayload.decode(data, 0, data.length))
                .ifPresent(eap -> {
                    try {
                        EapPacket p = EapPacket.parse(eap.message());
                        assertEquals(eap.code(), p.code());
                        assertEquals(eap.identifier(), p.identifier());
                        assertEquals(data.length, p.length());
                    } catch (EapException e) {
                        throw new AssertionError("the core refuses what IKE accepted: " + e.getMessage(), e);
                    }
                    assertTrue(eap.code() >= EapPayload.CODE_REQUEST && eap.code() <= EapPayload.CODE_FAILURE);
                });
    }
}
