package io.p2sgw.sstp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer target for the HTTPS preamble parser (STYLE.md §7.4 layer 4): the corpus in
 * {@code PreambleParserFuzzTestInputs/} runs in every {@code mvn test}; fuzz with {@code JAZZER_FUZZ=1}.
 */
class PreambleParserFuzzTest {
    /**
     * The first byte chooses a cut; the rest is what the client sent. Fed whole or in two pieces, the parser must reach
     * the same verdict at the same stream offset, keep its limits, and never throw.
     */
    @FuzzTest
    void preamble(byte[] data) {
        if (data.length < 1) {
            return;
        }
        byte[] in = Arrays.copyOfRange(data, 1, data.length);
        PreambleParser.Outcome whole = new PreambleParser().feed(in, 0, in.length);
        int cut = Math.min(data[0] & 0xFF, in.length);
        PreambleParser split = new PreambleParser();
        PreambleParser.Outcome first = split.feed(in, 0, cut);
        PreambleParser.Outcome second = first instanceof PreambleParser.Outcome.NeedMore
                ? split.feed(in, cut, in.length - cut) : first;
        switch (whole) {
            case PreambleParser.Outcome.Accepted a -> {
                assertTrue(a.consumed() <= PreambleParser.MAX_PREAMBLE && a.consumed() <= in.length);
                int consumedSplit = first instanceof PreambleParser.Outcome.Accepted f ? f.consumed()
                        : cut + ((PreambleParser.Outcome.Accepted) second).consumed();
                assertEquals(a.consumed(), consumedSplit);
                assertEquals(a.request(), ((PreambleParser.Outcome.Accepted) second).request());
            }
            case PreambleParser.Outcome.Rejected r -> {
                assertEquals(r, second);
                assertTrue(r.httpStatus() >= 400 && r.httpStatus() < 600);
            }
            case PreambleParser.Outcome.NeedMore n -> {
                assertTrue(in.length <= PreambleParser.MAX_PREAMBLE);
                assertEquals(n, second);
            }
        }
    }
}
