package io.p2sgw.tls.eap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.p2sgw.tls.TlsException;
import io.p2sgw.tls.TlsServerContext;
import java.util.Arrays;

/**
 * Jazzer targets for the EAP-TLS receive path (STYLE.md §7.4 layer 4): regression over the corpus in
 * {@code EapTlsServerFuzzTestInputs/} in every {@code mvn test}, fuzzing with {@code JAZZER_FUZZ=1}. Hostile EAP
 * Responses drop the packet or end the method with Failure; they never throw, and nothing the method sends is larger
 * than the carrier allows.
 */
class EapTlsServerFuzzTest {
    static final TlsServerContext CONTEXT = EapTestPki.serverContext();

    /**
     * Input: {@code size(1) | identifier(1)} then records {@code flags(1) | length(1) | packet(length)}. Flag bit 0
     * writes the outstanding Identifier into the packet and bit 1 a matching EAP Length, so the fuzzer reaches the
     * EAP-TLS framing, the reassembly and the TLS engine instead of stopping at the Identifier check.
     */
    @FuzzTest
    void receive(byte[] data) throws TlsException, EapException {
        if (data.length < 2) {
            return;
        }
        int maxPacketLength = EapTlsServer.MIN_PACKET_LENGTH + (data[0] & 0xFF) * 4;
        EapTlsServer server = EapTlsServer.create(CONTEXT, TlsServerContext.PROTOCOLS,
                chain -> EapTlsPolicy.Verdict.refuse("fuzz"), maxPacketLength);
        server.start(data[1] & 0xFF);
        boolean finished = false;
        int off = 2;
        while (off + 2 <= data.length) {
            int flags = data[off] & 0xFF;
            int len = Math.min(data[off + 1] & 0xFF, data.length - off - 2);
            byte[] packet = Arrays.copyOfRange(data, off + 2, off + 2 + len);
            off += 2 + len;
            if ((flags & 1) != 0 && packet.length >= 2) {
                packet[1] = (byte) server.outstandingIdentifier();
            }
            if ((flags & 2) != 0 && packet.length >= 4) {
                packet[2] = (byte) (packet.length >>> 8);
                packet[3] = (byte) packet.length;
            }
            EapTlsStep step = server.receive(packet);
            if (finished) {
                assertInstanceOf(EapTlsStep.Discard.class, step, "nothing after Success or Failure");
                continue;
            }
            switch (step) {
                case EapTlsStep.Send send -> {
                    byte[] out = send.packet();
                    assertTrue(out.length <= maxPacketLength, "a " + out.length + "-byte Request");
                    EapPacket request = EapPacket.parse(out);
                    assertEquals(EapPacket.REQUEST, request.code());
                    assertEquals(EapPacket.TYPE_TLS, request.type());
                    assertEquals(server.outstandingIdentifier(), request.identifier());
                    assertArrayEquals(out, server.outstandingRequest().orElseThrow());
                }
                case EapTlsStep.Finish finish -> {
                    EapPacket end = EapPacket.parse(finish.packet());
                    assertEquals(EapPacket.FAILURE, end.code(), "the policy refuses everyone");
                    assertEquals(packet[1] & 0xFF, end.identifier());
                    assertTrue(server.finished());
                    finished = true;
                }
                case EapTlsStep.Discard discard -> assertEquals(EapError.NO_ANSWER, discard.error().eapCode());
            }
        }
    }

    /** The codecs alone: parse never throws anything but {@link EapException}, and what parses re-encodes to itself. */
    @FuzzTest
    void codec(byte[] data) {
        try {
            EapPacket p = EapPacket.parse(data);
            assertArrayEquals(Arrays.copyOf(data, p.length()), p.encode());
            if (p.type() == EapPacket.TYPE_TLS) {
                EapTlsFragment f = EapTlsFragment.parse(p.typeData());
                byte[] typeData = p.typeData();
                byte[] again = f.encode();
                assertEquals(typeData.length, again.length);
                assertArrayEquals(typeData, again);
            }
        } catch (EapException e) {
            assertEquals(EapError.Reason.MALFORMED_PACKET, e.error().reason());
        }
    }
}
