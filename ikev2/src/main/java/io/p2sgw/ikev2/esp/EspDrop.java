package io.p2sgw.ikev2.esp;

/**
 * Why an inbound ESP packet was dropped (RFC 4303 §3.4), the key of {@link EspCounters}. None of these is reported to
 * the peer: ESP has no error messages, and RFC 4303 §3.4.4.1 asks only for an auditable event.
 */
public enum EspDrop {
    /** Shorter than SPI, sequence number, IV, the smallest ciphertext and the ICV (RFC 4303 §2). */
    SHORT_PACKET,
    /** The SPI is not this SA's (RFC 4303 §3.4.2): the caller demultiplexed to the wrong SA. */
    BAD_SPI,
    /** The ciphertext is not a whole number of cipher blocks (RFC 3602 §3: AES-CBC needs 16-byte blocks). */
    MISALIGNED,
    /** Sequence number 0, already seen, or left of the anti-replay window (RFC 4303 §3.4.3). */
    REPLAY,
    /** The HMAC ICV (RFC 4303 §3.4.4.1) or the AES-GCM tag (RFC 4106 §5) did not verify. */
    ICV_FAILURE,
    /** Pad Length points before the payload, or the padding is not 1, 2, 3, ... (RFC 4303 §2.4). */
    BAD_PADDING,
    /** Next Header is neither IPv4 (4) nor the dummy 59 (RFC 4303 §2.6): we tunnel IPv4 only. */
    BAD_NEXT_HEADER,
    /** The inner packet is not an IPv4 header whose Total Length fits the payload (RFC 791 §3.1). */
    BAD_INNER_PACKET,
    /**
     * A verified dummy packet (Next Header 59, RFC 4303 §2.6): dropped silently as the RFC asks, counted here so it is
     * visible, but it is not an error (the peer authenticated).
     */
    DUMMY
}
