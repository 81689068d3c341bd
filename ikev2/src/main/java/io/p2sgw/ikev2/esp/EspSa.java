package io.p2sgw.ikev2.esp;

import io.p2sgw.ikev2.engine.ChildSa;

/**
 * Both halves of the ESP SA pair of one CHILD SA (ikev2.md §2.3 step 11, §6): inbound under our SPI with the "i"
 * keys (client→gateway), outbound under the client's SPI with the "r" keys. The halves share nothing, so the datagram
 * reader can open while the TUN reader seals.
 */
public record EspSa(InboundEspSa inbound, OutboundEspSa outbound) {
    /**
     * Our anti-replay window: RFC 4303 §3.4.3 asks for at least 32 and recommends 64; a client sending from several
     * CPUs reorders by more than that under load, and the bitmap costs only 128 bytes.
     */
    public static final int DEFAULT_REPLAY_WINDOW = 1024;

    /** The SA pair for {@code child} with the {@link #DEFAULT_REPLAY_WINDOW}. */
    public static EspSa of(ChildSa child) {
        return of(child, DEFAULT_REPLAY_WINDOW);
    }

    /**
     * The SA pair for {@code child}. The keys are copied into the ciphers, so the engine may wipe {@code
     * child.keys()} afterwards.
     */
    public static EspSa of(ChildSa child, int replayWindow) {
        return new EspSa(
                new InboundEspSa(child.inboundSpi(), child.encryption(), child.integrity(),
                        child.keys().encryptionInitiator(), child.keys().integrityInitiator(), replayWindow),
                new OutboundEspSa(child.outboundSpi(), child.encryption(), child.integrity(),
                        child.keys().encryptionResponder(), child.keys().integrityResponder()));
    }

    /** Zeroes our copies of both halves' keys (the CHILD SA was deleted or replaced by a rekey). */
    public void wipe() {
        inbound.wipe();
        outbound.wipe();
    }
}
