package io.p2sgw.ikev2.esp;

import io.p2sgw.common.replay.ReplayWindow;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import java.util.Optional;

/**
 * The receiving half of an ESP SA in tunnel mode (RFC 4303 §3.4), under our SPI with the client→gateway keys
 * (encr_i, integ_i; ikev2.md §3.3). {@link #open} takes one ESP packet (from the SPI on: the UDP payload on port 4500
 * once {@link EspInUdp} has said it is ESP) and, in this order, checks every length, the SPI, the anti-replay window,
 * the ICV (HMAC before decrypting; the GCM tag while decrypting), then the padding and Next Header, and returns the
 * inner IPv4 packet where it lies in the caller's buffer: no copy. The window moves only after the packet verified
 * (RFC 4303 §3.4.3).
 *
 * <p>Hostile input never throws; each drop is counted in {@link #counters()} by {@link EspDrop reason}. Not
 * thread-safe: one thread opens (in the gateway, the core's datagram reader).
 */
public final class InboundEspSa {
    /** {@link #open} verified a packet that carries nothing: a dummy packet (RFC 4303 §2.6), dropped silently. */
    public static final int NO_PAYLOAD = -1;
    /** {@link #open} refused the packet; {@link #lastDrop()} and the counters say why. */
    public static final int DROPPED = -2;
    /** The widest anti-replay window a caller may ask for ({@link ReplayWindow#MAX_SIZE}). */
    public static final int MAX_REPLAY_WINDOW = ReplayWindow.MAX_SIZE;

    static final int NEXT_HEADER_IPV4 = 4;
    static final int NEXT_HEADER_NONE = 59;
    private static final int IPV4_MIN_HEADER = 20;
    /** Pad Length and Next Header (RFC 4303 §2.5, §2.6). */
    private static final int TRAILER = 2;

    private final int spi;
    private final EspTransform transform;
    private final ReplayWindow replay;
    private final EspCounters counters = new EspCounters();
    private final int minLength;
    private EspDrop lastDrop;

    /**
     * @param spi our inbound SPI (the one we put in our ESP proposal; ikev2.md §6.3)
     * @param encryptionKey encr_i: the AES key, followed by the 4-byte salt for GCM
     * @param integrityKey integ_i: empty for GCM
     * @param replayWindow how far back a late packet is accepted: a multiple of 64 up to {@link #MAX_REPLAY_WINDOW};
     *                     RFC 4303 §3.4.3 asks for at least 32, 64 recommended; {@link EspSa#DEFAULT_REPLAY_WINDOW}
     *                     allows for reordering across the client's CPUs
     */
    public InboundEspSa(int spi, EncryptionAlgorithm encryption, Optional<IntegrityAlgorithm> integrity,
            byte[] encryptionKey, byte[] integrityKey, int replayWindow) {
        this.spi = spi;
        this.transform = EspTransform.create(encryption, integrity, encryptionKey, integrityKey, false);
        this.replay = new ReplayWindow(replayWindow);
        // The smallest ciphertext holds the two trailer bytes, in whole cipher blocks.
        int minCiphertext = Math.max(TRAILER, transform.cipherBlock());
        this.minLength = EspTransform.HEADER + transform.ivLength() + minCiphertext + transform.icvLength();
    }

    public int spi() {
        return spi;
    }

    /** Where the inner packet starts, counted from the ESP packet's first byte (the SPI): SPI, sequence number, IV. */
    public int payloadOffset() {
        return EspTransform.HEADER + transform.ivLength();
    }

    /**
     * Verifies and decrypts, in place, the ESP packet {@code b[off, off+len)}.
     *
     * @return the length of the inner IPv4 packet, which starts at {@code off + payloadOffset()}; or {@link
     *         #NO_PAYLOAD} for a verified dummy packet; or {@link #DROPPED}. Anything but DROPPED means the packet
     *         authenticated, so its source may update the peer's address (RFC 3948; ikev2.md §5.5). The bytes of the
     *         packet are overwritten (decrypted) once the ICV verified, whatever the outcome.
     */
    public int open(byte[] b, int off, int len) {
        if (len < minLength) {
            return drop(EspDrop.SHORT_PACKET);
        }
        if (u32(b, off) != spi) {
            return drop(EspDrop.BAD_SPI);
        }
        int ptOff = off + payloadOffset();
        int ctLength = len - payloadOffset() - transform.icvLength();
        if (ctLength % transform.cipherBlock() != 0) {
            return drop(EspDrop.MISALIGNED);
        }
        long seq = u32(b, off + 4) & 0xFFFF_FFFFL;
        // Before the (costly) ICV check, so replays are cheap to drop (RFC 4303 §3.4.3).
        if (!replay.check(seq)) {
            return drop(EspDrop.REPLAY);
        }
        if (!transform.open(b, off, len)) {
            return drop(EspDrop.ICV_FAILURE);
        }
        replay.accept(seq);
        int padLength = b[ptOff + ctLength - 2] & 0xFF;
        int nextHeader = b[ptOff + ctLength - 1] & 0xFF;
        int payloadLength = ctLength - TRAILER - padLength;
        if (payloadLength < 0) {
            return drop(EspDrop.BAD_PADDING);
        }
        // RFC 4303 §2.4: the default padding is 1, 2, 3, ...; the receiver checks it.
        for (int i = 0; i < padLength; i++) {
            if ((b[ptOff + payloadLength + i] & 0xFF) != i + 1) {
                return drop(EspDrop.BAD_PADDING);
            }
        }
        if (nextHeader == NEXT_HEADER_NONE) {
            counters.drop(EspDrop.DUMMY);
            lastDrop = EspDrop.DUMMY;
            return NO_PAYLOAD;
        }
        if (nextHeader != NEXT_HEADER_IPV4) {
            return drop(EspDrop.BAD_NEXT_HEADER);
        }
        // The inner packet's own Total Length says where it ends: TFC padding (RFC 4303 §2.7) may follow it before
        // the ESP padding (ikev2.md §6.6). RFC 791 §3.1: version 4, IHL >= 5 words, Total Length >= the header.
        if (payloadLength < IPV4_MIN_HEADER || (b[ptOff] & 0xF0) != 0x40) {
            return drop(EspDrop.BAD_INNER_PACKET);
        }
        int headerLength = (b[ptOff] & 0x0F) * 4;
        int totalLength = (b[ptOff + 2] & 0xFF) << 8 | b[ptOff + 3] & 0xFF;
        if (headerLength < IPV4_MIN_HEADER || totalLength < headerLength || totalLength > payloadLength) {
            return drop(EspDrop.BAD_INNER_PACKET);
        }
        counters.packet(totalLength);
        return totalLength;
    }

    /** The reason of the last drop (or dummy packet), for logs and tests; null before the first. */
    public EspDrop lastDrop() {
        return lastDrop;
    }

    public EspCounters counters() {
        return counters;
    }

    /** The highest sequence number received and verified so far (0 before the first). */
    public long highestSequence() {
        return replay.highest();
    }

    /** Zeroes our copies of the keys; the SA must not be used afterwards. */
    public void wipe() {
        transform.wipe();
    }

    @Override
    public String toString() {
        return String.format("InboundEspSa[spi %08x]", spi);
    }

    private int drop(EspDrop reason) {
        counters.drop(reason);
        lastDrop = reason;
        return DROPPED;
    }

    static int u32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | b[i + 3] & 0xFF;
    }
}
