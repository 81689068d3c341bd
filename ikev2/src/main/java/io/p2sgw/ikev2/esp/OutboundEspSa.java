package io.p2sgw.ikev2.esp;

import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The sending half of an ESP SA in tunnel mode (RFC 4303 §3.3), under the client's SPI with the gateway→client keys
 * (encr_r, integ_r; ikev2.md §3.3). {@link #seal} wraps one inner IPv4 packet into SPI ‖ Sequence Number ‖ IV ‖
 * ciphertext(packet ‖ padding 1, 2, 3... ‖ Pad Length ‖ Next Header 4) ‖ ICV in the caller's buffer.
 *
 * <p>Sequence numbers start at 1 and are 32 bits on the wire: we never negotiate ESN (ProposalSelector accepts only
 * ESN "none"), so the counter must not wrap (RFC 4303 §3.3.3). {@link #rekeyNeeded()} turns true at {@link
 * #REKEY_THRESHOLD}, well before the end, for the IKE side to rekey the CHILD SA; at {@link #MAX_SEQUENCE} the SA
 * refuses to send ({@link #EXHAUSTED}). Not thread-safe: one thread seals (in the gateway, the core's TUN reader).
 */
public final class OutboundEspSa {
    /** Ask for a CHILD SA rekey from here on: 2^24 packets before the counter's end, minutes even at line rate. */
    public static final long REKEY_THRESHOLD = 0xFF00_0000L;
    /** The last sequence number a 32-bit counter may carry; after it the SA is used up (RFC 4303 §3.3.3). */
    public static final long MAX_SEQUENCE = 0xFFFF_FFFFL;
    /** {@link #seal} refused: the sequence numbers are used up and the SA must be replaced. */
    public static final int EXHAUSTED = -1;

    private static final int TRAILER = 2;

    private final int spi;
    private final EspTransform transform;
    private final EspCounters counters = new EspCounters();
    private final int headerLength;
    private long seq;

    /**
     * @param spi the client's inbound SPI, from its ESP proposal (ikev2.md §6.3)
     * @param encryptionKey encr_r: the AES key, followed by the 4-byte salt for GCM
     * @param integrityKey integ_r: empty for GCM
     */
    public OutboundEspSa(int spi, EncryptionAlgorithm encryption, Optional<IntegrityAlgorithm> integrity,
            byte[] encryptionKey, byte[] integrityKey) {
        this.spi = spi;
        this.transform = EspTransform.create(encryption, integrity, encryptionKey, integrityKey, true);
        this.headerLength = EspTransform.HEADER + transform.ivLength();
    }

    public int spi() {
        return spi;
    }

    /**
     * SPI, sequence number and IV: the inner packet goes this far past the start of the ESP packet. A caller that
     * already has the inner packet there may seal in place.
     */
    public int headerLength() {
        return headerLength;
    }

    /** The ESP packet's length for an inner packet of {@code innerLength} bytes. */
    public int sealedLength(int innerLength) {
        int block = transform.padBlock();
        int padded = (innerLength + TRAILER + block - 1) / block * block;
        return headerLength + padded + transform.icvLength();
    }

    /**
     * The most bytes ESP adds to an inner packet (header, IV, the longest padding, trailer, ICV), for the tunnel MTU:
     * 8 + 8 + 3 + 2 + 16 = 37 for GCM, 8 + 16 + 15 + 2 + 16 = 57 for AES-CBC with SHA2-256-128 (ikev2.md §6.5,
     * without the 28 bytes of IPv4 and UDP).
     */
    public int maxOverhead() {
        return headerLength + transform.padBlock() - 1 + TRAILER + transform.icvLength();
    }

    /**
     * Seals the IPv4 packet {@code in[inOff, inOff+inLen)} into {@code out} from {@code outOff}, which needs {@link
     * #sealedLength}(inLen) bytes. {@code in} and {@code out} may be the same array; the copy of the inner packet is
     * skipped when it already lies at {@code outOff + headerLength()}.
     *
     * @return the ESP packet's length, or {@link #EXHAUSTED}
     */
    public int seal(byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        if (seq >= MAX_SEQUENCE) {
            return EXHAUSTED;
        }
        if (in != out || inOff != outOff + headerLength) {
            System.arraycopy(in, inOff, out, outOff + headerLength, inLen);
        }
        return sealPlaced(out, outOff, inLen);
    }

    /**
     * Seals the IPv4 packet at {@code packet}'s position..limit (left as they are; a heap or direct buffer, as the
     * TUN reader hands it over) into {@code out} from {@code outOff}.
     *
     * @return the ESP packet's length, or {@link #EXHAUSTED}
     */
    public int seal(ByteBuffer packet, byte[] out, int outOff) {
        if (seq >= MAX_SEQUENCE) {
            return EXHAUSTED;
        }
        int inLen = packet.remaining();
        packet.get(packet.position(), out, outOff + headerLength, inLen);
        return sealPlaced(out, outOff, inLen);
    }

    private int sealPlaced(byte[] out, int outOff, int inLen) {
        seq++;
        out[outOff] = (byte) (spi >>> 24);
        out[outOff + 1] = (byte) (spi >>> 16);
        out[outOff + 2] = (byte) (spi >>> 8);
        out[outOff + 3] = (byte) spi;
        out[outOff + 4] = (byte) (seq >>> 24);
        out[outOff + 5] = (byte) (seq >>> 16);
        out[outOff + 6] = (byte) (seq >>> 8);
        out[outOff + 7] = (byte) seq;
        int block = transform.padBlock();
        int plainLength = (inLen + TRAILER + block - 1) / block * block;
        int padLength = plainLength - inLen - TRAILER;
        int pos = outOff + headerLength + inLen;
        // RFC 4303 §2.4: the default padding contents are 1, 2, 3, ...
        for (int i = 1; i <= padLength; i++) {
            out[pos++] = (byte) i;
        }
        out[pos++] = (byte) padLength;
        out[pos] = InboundEspSa.NEXT_HEADER_IPV4;
        transform.seal(out, outOff, plainLength, seq);
        counters.packet(inLen);
        return headerLength + plainLength + transform.icvLength();
    }

    /** True once the sequence numbers near their end: the IKE side should rekey the CHILD SA (RFC 4303 §3.3.3). */
    public boolean rekeyNeeded() {
        return seq >= REKEY_THRESHOLD;
    }

    /** The sequence number of the last packet sealed (0 before the first). */
    public long sentSequence() {
        return seq;
    }

    public EspCounters counters() {
        return counters;
    }

    /** Zeroes our copies of the keys; the SA must not be used afterwards. */
    public void wipe() {
        transform.wipe();
    }

    /** For tests: the next packet gets {@code last + 1}, to reach the end of the sequence space quickly. */
    void skipTo(long last) {
        seq = last;
    }

    @Override
    public String toString() {
        return String.format("OutboundEspSa[spi %08x]", spi);
    }
}
