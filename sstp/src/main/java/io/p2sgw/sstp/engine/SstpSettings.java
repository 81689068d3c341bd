package io.p2sgw.sstp.engine;

import io.p2sgw.sstp.binding.CryptoBindingVerifier;
import io.p2sgw.sstp.binding.HlakLayout;
import io.p2sgw.sstp.ppp.PppSettings;
import io.p2sgw.sstp.wire.ControlMessages;
import java.util.List;

/**
 * Timers and choices of one SSTP server connection ([MS-SSTP] 3.1.2, 3.3.2; sstp.md §2.7, §3.4).
 *
 * @param hashBitmask the hash protocols offered in CALL_CONNECT_ACK (both, like accel-ppp: clients pick SHA-256)
 * @param hlakLayouts the HLAK layouts accepted in CALL_CONNECTED, in the order tried
 * @param preambleTimeoutMillis the HTTPS preamble must be complete within this (sstp.md §8 item 2)
 * @param connectRequestTimeoutMillis CALL_CONNECT_REQUEST must arrive within this after the preamble (60 s)
 * @param callConnectedTimeoutMillis CALL_CONNECTED must arrive within this after CALL_CONNECT_ACK (60 s; longer helps a
 *     Windows user picking a certificate, sstp.md §2.7)
 * @param helloMillis idle time before ECHO_REQUEST, and then before the connection is dropped (60 s)
 * @param maxConnectNaks CALL_CONNECT_NAKs before CALL_ABORT with RETRY_COUNT_EXCEEDED (3, [MS-SSTP] note 10)
 */
public record SstpSettings(int hashBitmask, List<HlakLayout> hlakLayouts, long preambleTimeoutMillis,
        long connectRequestTimeoutMillis, long callConnectedTimeoutMillis, long helloMillis, int maxConnectNaks,
        PppSettings ppp) {
    /** The Hello timer's default ([MS-SSTP] 3.3.2.1, sstp.md §2.7): 60 s. */
    public static final long DEFAULT_HELLO_MILLIS = 60_000;
    /** Abort timers 1 and 2, disconnect timers 1 and 2 ([MS-SSTP] 3.1.2). */
    public static final long ABORT_TIMER_1_MILLIS = 3_000;
    public static final long ABORT_TIMER_2_MILLIS = 1_000;
    public static final long DISCONNECT_TIMER_1_MILLIS = 5_000;
    public static final long DISCONNECT_TIMER_2_MILLIS = 1_000;

    public SstpSettings {
        hlakLayouts = List.copyOf(hlakLayouts);
        if (hlakLayouts.isEmpty() || hashBitmask == 0
                || (hashBitmask & ~(ControlMessages.HASH_SHA1 | ControlMessages.HASH_SHA256)) != 0) {
            throw new IllegalArgumentException("SSTP settings: hashes " + hashBitmask + ", layouts " + hlakLayouts);
        }
        if (helloMillis <= 0) {
            throw new IllegalArgumentException("SSTP Hello interval " + helloMillis + " ms");
        }
    }

    /** These settings with another Hello interval ([MS-SSTP] 3.3.2.1 suggests 60 s; the operator may shorten it). */
    public SstpSettings withHelloMillis(long millis) {
        return new SstpSettings(hashBitmask, hlakLayouts, preambleTimeoutMillis, connectRequestTimeoutMillis,
                callConnectedTimeoutMillis, millis, maxConnectNaks, ppp);
    }

    /** The values of [MS-SSTP] 3.1.2 and sstp.md §3.4 (zero HLAK not accepted). */
    public static SstpSettings defaults(PppSettings ppp) {
        return new SstpSettings(ControlMessages.HASH_SHA1 | ControlMessages.HASH_SHA256,
                CryptoBindingVerifier.defaultLayouts(), 60_000, 60_000, 60_000, DEFAULT_HELLO_MILLIS, 3, ppp);
    }
}
