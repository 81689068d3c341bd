package io.p2sgw.sstp.ppp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for the PPP layer (LCP/IPCP packets and options, EAP, frame headers): the corpus in
 * {@code PppServerEngineFuzzTestInputs/} (a whole pppd-like session and variants) runs in every {@code mvn test}; fuzz
 * with {@code JAZZER_FUZZ=1}. Input: records of a length byte and that many frame bytes; a zero length is one second
 * of ticks. The engine must never throw and never send a frame the peer's MRU (or SSTP) cannot take.
 */
class PppServerEngineFuzzTest {
    @FuzzTest
    void session(byte[] data) {
        RecordingHost host = new RecordingHost();
        FakeEapMethod method = new FakeEapMethod();
        method.rounds = 1;
        PppServerEngine engine = new PppServerEngine(PppSettings.defaults(0xAC10C901, 0x0A010002, 0), method, host,
                new FixedRandom());
        long now = 0;
        engine.start(now);
        int p = 0;
        while (p < data.length) {
            int len = data[p++] & 0xFF;
            if (len == 0) {
                now += 1000;
                engine.tick(now);
                continue;
            }
            len = Math.min(len, data.length - p);
            engine.receive(data, p, len, now);
            p += len;
        }
        for (String frame : host.sent) {
            assertTrue(frame.length() / 2 <= PppFrames.HEADER_LENGTH + Math.max(LcpPolicy.DEFAULT_MRU, engine.peerMru()),
                    frame);
        }
    }
}
