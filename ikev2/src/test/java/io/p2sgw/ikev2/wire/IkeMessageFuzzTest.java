package io.p2sgw.ikev2.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Jazzer fuzz targets for the IKE message decoder (STYLE.md §7.4 layer 4). In a normal {@code mvn test} they run as
 * regression tests over the seeds in {@code src/test/resources/io/p2sgw/ikev2/wire/IkeMessageFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} they fuzz. The decoder must return a message or throw {@link IkeException} with a notify,
 * never anything else; whatever it returns must re-encode to bytes that decode to the same encoding.
 */
class IkeMessageFuzzTest {

    static <T> Optional<T> parse(String what, Supplier<T> parser) {
        try {
            return Optional.of(parser.get());
        } catch (IkeException e) {
            assertNotNull(e.notifyType(), what + ": IkeException without a notify");
            return Optional.empty();
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(what + " threw " + e + " instead of IkeException", e);
        }
    }

    @FuzzTest
    void message(byte[] data) {
        parse("IkeMessage.decode", () -> IkeMessage.decode(data, 0, data.length)).ifPresent(m -> {
            byte[] once = IkeMessage.toBytes(m.header(), m.payloads());
            assertTrue(once.length <= data.length, "re-encoding never grows: unknown payloads are dropped");
            IkeMessage again = IkeMessage.decode(once, 0, once.length);
            assertArrayEquals(once, IkeMessage.toBytes(again.header(), again.payloads()));
        });
    }

    @FuzzTest
    void innerChain(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int first = data[0] & 0xFF;
        parse("PayloadChain.decode", () -> PayloadChain.decode(data, 1, data.length, first, 0, true))
                .ifPresent(ps -> {
                    List<Payload> payloads = ps;
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(PayloadChain.encodedLength(payloads));
                    PayloadChain.encode(payloads, b);
                    byte[] once = b.array();
                    List<Payload> again = PayloadChain.decode(once, 0, once.length,
                            PayloadChain.firstType(payloads), 0, true);
                    java.nio.ByteBuffer b2 = java.nio.ByteBuffer.allocate(PayloadChain.encodedLength(again));
                    PayloadChain.encode(again, b2);
                    assertArrayEquals(once, b2.array());
                });
    }
}
