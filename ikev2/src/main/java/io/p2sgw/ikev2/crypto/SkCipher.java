package io.p2sgw.ikev2.crypto;

import io.p2sgw.ikev2.wire.EncryptedFragmentPayload;
import io.p2sgw.ikev2.wire.EncryptedPayload;
import io.p2sgw.ikev2.wire.IkeException;
import io.p2sgw.ikev2.wire.IkeHeader;
import io.p2sgw.ikev2.wire.Payload;
import io.p2sgw.ikev2.wire.PayloadChain;
import io.p2sgw.ikev2.wire.PayloadType;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects and opens the SK payload (RFC 7296 §3.14) and SKF fragments (RFC 7383 §2.5) of one IKE SA, for one role.
 * Two families (ikev2.md §4):
 * <ul>
 *   <li>AES-CBC + HMAC: a random 16-byte IV per message; plaintext padded to the block with a Pad Length byte; the
 *       truncated HMAC covers the whole message up to the ICV, header included.</li>
 *   <li>AES-GCM-16 (RFC 5282): nonce = 4-byte salt (end of SK_e*) ‖ 8-byte explicit IV, the IV a per-SA counter so it
 *       never repeats under one key; AAD = the message from the IKE header to the end of the SK header (plus the
 *       4 fragment-number bytes for SKF); no padding, but the Pad Length byte is still there.</li>
 * </ul>
 * Exactly one instance per IKE SA and role: the GCM IV counter lives here, so a second instance over the same keys
 * would repeat IVs (pitfall §10.15). Confined to the IKE SA's thread.
 */
public final class SkCipher {
    private static final int GCM_TAG_BITS = 128;

    private final IkeSuite suite;
    private final SecretKeySpec inKey;
    private final SecretKeySpec outKey;
    private final byte[] inSalt;
    private final byte[] outSalt;
    private final Optional<Mac> inMac;
    private final Optional<Mac> outMac;
    private final Cipher cipher;
    private final SecureRandom random;
    private long nextGcmIv = 1;

    private SkCipher(IkeSuite suite, byte[] inEnc, byte[] inInteg, byte[] outEnc, byte[] outInteg,
            SecureRandom random) {
        this.suite = suite;
        EncryptionAlgorithm e = suite.encryption();
        this.inKey = new SecretKeySpec(inEnc, 0, e.keyLength(), "AES");
        this.outKey = new SecretKeySpec(outEnc, 0, e.keyLength(), "AES");
        this.inSalt = Arrays.copyOfRange(inEnc, e.keyLength(), e.keyMaterialLength());
        this.outSalt = Arrays.copyOfRange(outEnc, e.keyLength(), e.keyMaterialLength());
        this.inMac = suite.integrity().map(i -> i.newMac(inInteg));
        this.outMac = suite.integrity().map(i -> i.newMac(outInteg));
        this.random = random;
        try {
            this.cipher = Cipher.getInstance(e.isAead() ? "AES/GCM/NoPadding" : "AES/CBC/NoPadding");
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES unavailable", ex);
        }
    }

    /** We are the responder: we open with SK_ei/SK_ai and protect with SK_er/SK_ar. */
    public static SkCipher responder(IkeSuite suite, IkeKeys keys, SecureRandom random) {
        return new SkCipher(suite, keys.skEi(), keys.skAi(), keys.skEr(), keys.skAr(), random);
    }

    /** The initiator's view (our test clients; server-initiated requests still use the responder's keys). */
    public static SkCipher initiator(IkeSuite suite, IkeKeys keys, SecureRandom random) {
        return new SkCipher(suite, keys.skEr(), keys.skAr(), keys.skEi(), keys.skAi(), random);
    }

    private int icvLength() {
        return suite.encryption().isAead() ? suite.encryption().tagLength()
                : suite.integrity().orElseThrow().icvLength();
    }

    private int padLength(int innerLength) {
        int block = suite.encryption().blockSize();
        return (block - (innerLength + 1) % block) % block;
    }

    /** The whole message's length once {@code innerLength} bytes of payloads are sealed in an SK. */
    public int sealedLength(int innerLength) {
        return IkeHeader.LENGTH + Payload.HEADER_LENGTH + bodyLength(innerLength);
    }

    private int bodyLength(int innerLength) {
        return suite.encryption().ivLength() + innerLength + padLength(innerLength) + 1 + icvLength();
    }

    /**
     * Writes {@code header} (Next Payload and Length computed) and an SK holding {@code inner} into
     * {@code out[off..]}; returns the message length.
     */
    public int seal(IkeHeader header, List<? extends Payload> inner, byte[] out, int off) {
        byte[] plain = new byte[PayloadChain.encodedLength(inner)];
        PayloadChain.encode(inner, ByteBuffer.wrap(plain));
        return sealPiece(header, PayloadType.SK, PayloadChain.firstType(inner), plain, 0, plain.length, 0, 0, out,
                off);
    }

    /**
     * Seals an already encoded inner chain starting with {@code firstInnerType}; returns the whole message. For
     * callers that hold encoded payloads (and for fuzzing the layers behind decryption).
     */
    public byte[] seal(IkeHeader header, int firstInnerType, byte[] innerChain) {
        byte[] out = new byte[sealedLength(innerChain.length)];
        sealPiece(header, PayloadType.SK, firstInnerType, innerChain, 0, innerChain.length, 0, 0, out, 0);
        return out;
    }

    public byte[] seal(IkeHeader header, List<? extends Payload> inner) {
        byte[] out = new byte[sealedLength(PayloadChain.encodedLength(inner))];
        seal(header, inner, out, 0);
        return out;
    }

    /**
     * Seals {@code inner} as SKF fragments (RFC 7383 §2.5) so that no message exceeds {@code maxMessageLength}
     * (the IKE message without UDP and non-ESP marker); every fragment carries the same header fields.
     */
    public List<byte[]> sealFragments(IkeHeader header, List<? extends Payload> inner, int maxMessageLength) {
        byte[] plain = new byte[PayloadChain.encodedLength(inner)];
        PayloadChain.encode(inner, ByteBuffer.wrap(plain));
        int overhead = IkeHeader.LENGTH + Payload.HEADER_LENGTH + EncryptedFragmentPayload.FRAGMENT_HEADER
                + suite.encryption().ivLength() + 1 + icvLength() + suite.encryption().blockSize() - 1;
        int piece = maxMessageLength - overhead;
        if (piece < 1) {
            throw new IllegalArgumentException("fragment size " + maxMessageLength + " leaves no room");
        }
        int total = Math.max(1, (plain.length + piece - 1) / piece);
        if (total > EncryptedFragmentPayload.MAX_FRAGMENTS) {
            throw new IllegalArgumentException(total + " fragments");
        }
        List<byte[]> fragments = new ArrayList<>(total);
        for (int n = 1; n <= total; n++) {
            int from = (n - 1) * piece;
            int len = Math.min(piece, plain.length - from);
            int first = n == 1 ? PayloadChain.firstType(inner) : PayloadType.NONE;
            byte[] out = new byte[IkeHeader.LENGTH + Payload.HEADER_LENGTH + EncryptedFragmentPayload.FRAGMENT_HEADER
                    + bodyLength(len)];
            sealPiece(header, PayloadType.SKF, first, plain, from, len, n, total, out, 0);
            fragments.add(out);
        }
        return fragments;
    }

    private int sealPiece(IkeHeader header, PayloadType kind, int firstInner, byte[] plain, int from, int len,
            int fragmentNumber, int totalFragments, byte[] out, int off) {
        EncryptionAlgorithm e = suite.encryption();
        int pad = padLength(len);
        int plainLength = len + pad + 1;
        int fragmentHeader = kind == PayloadType.SKF ? EncryptedFragmentPayload.FRAGMENT_HEADER : 0;
        int payloadLength = Payload.HEADER_LENGTH + fragmentHeader + e.ivLength() + plainLength + icvLength();
        int total = IkeHeader.LENGTH + payloadLength;
        ByteBuffer b = ByteBuffer.wrap(out, off, total);
        header.withNextPayload(kind.code()).withLength(total).encode(b);
        b.put((byte) firstInner).put((byte) 0).putShort((short) payloadLength);
        if (fragmentHeader > 0) {
            b.putShort((short) fragmentNumber).putShort((short) totalFragments);
        }
        int aadEnd = b.position();
        byte[] iv = new byte[e.ivLength()];
        if (e.isAead()) {
            ByteBuffer.wrap(iv).putLong(nextGcmIv++);
        } else {
            random.nextBytes(iv);
        }
        b.put(iv);
        int cipherStart = b.position();
        byte[] padded = Arrays.copyOfRange(plain, from, from + plainLength);
        Arrays.fill(padded, len, plainLength, (byte) 0);
        padded[plainLength - 1] = (byte) pad;
        try {
            if (e.isAead()) {
                cipher.init(Cipher.ENCRYPT_MODE, outKey, new GCMParameterSpec(GCM_TAG_BITS, nonce(outSalt, iv)));
                cipher.updateAAD(out, off, aadEnd - off);
                cipher.doFinal(padded, 0, plainLength, out, cipherStart);
            } else {
                cipher.init(Cipher.ENCRYPT_MODE, outKey, new IvParameterSpec(iv));
                cipher.doFinal(padded, 0, plainLength, out, cipherStart);
                Mac mac = outMac.orElseThrow();
                mac.update(out, off, total - icvLength());
                byte[] icv = mac.doFinal();
                System.arraycopy(icv, 0, out, off + total - icvLength(), icvLength());
            }
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("SK encryption failed", ex);
        } finally {
            Arrays.fill(padded, (byte) 0);
        }
        return total;
    }

    /**
     * Verifies and decrypts the SK payload of the {@code len}-byte message at {@code off}; returns the inner payload
     * chain (padding removed), which starts with {@code sk.firstInnerType()}.
     *
     * @throws IntegrityException if the ICV/tag does not verify (drop silently)
     * @throws IkeException if the payload is too short to hold IV, one block and ICV
     */
    public byte[] open(byte[] msg, int off, int len, EncryptedPayload sk) {
        return openPiece(msg, off, len, off + sk.offset() + Payload.HEADER_LENGTH);
    }

    /** As {@link #open} for one SKF fragment; returns that fragment's share of the inner chain. */
    public byte[] openFragment(byte[] msg, int off, int len, EncryptedFragmentPayload skf) {
        return openPiece(msg, off, len,
                off + skf.offset() + Payload.HEADER_LENGTH + EncryptedFragmentPayload.FRAGMENT_HEADER);
    }

    private byte[] openPiece(byte[] msg, int off, int len, int ivStart) {
        EncryptionAlgorithm e = suite.encryption();
        int end = off + len;
        int icv = icvLength();
        int cipherStart = ivStart + e.ivLength();
        int cipherLength = end - icv - cipherStart;
        // At least the Pad Length byte, and whole blocks for CBC (RFC 7296 §3.14).
        if (cipherLength < Math.max(1, e.blockSize()) || cipherLength % e.blockSize() != 0) {
            throw IkeException.syntax("SK ciphertext of " + cipherLength + " bytes");
        }
        byte[] iv = Arrays.copyOfRange(msg, ivStart, cipherStart);
        byte[] plain;
        try {
            if (e.isAead()) {
                cipher.init(Cipher.DECRYPT_MODE, inKey, new GCMParameterSpec(GCM_TAG_BITS, nonce(inSalt, iv)));
                cipher.updateAAD(msg, off, ivStart - off);
                plain = cipher.doFinal(msg, cipherStart, cipherLength + icv);
            } else {
                Mac mac = inMac.orElseThrow();
                mac.update(msg, off, len - icv);
                byte[] expected = Arrays.copyOf(mac.doFinal(), icv);
                if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(msg, end - icv, end))) {
                    throw new IntegrityException("SK ICV mismatch");
                }
                cipher.init(Cipher.DECRYPT_MODE, inKey, new IvParameterSpec(iv));
                plain = cipher.doFinal(msg, cipherStart, cipherLength);
            }
        } catch (AEADBadTagException ex) {
            throw new IntegrityException("SK tag mismatch");
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("SK decryption failed", ex);
        }
        int pad = plain[plain.length - 1] & 0xFF;
        if (pad + 1 > plain.length) {
            // Authenticated, so the peer really sent it: a syntax error it can be told about (RFC 7296 §3.14).
            throw IkeException.syntax("Pad Length " + pad + " in " + plain.length + " bytes");
        }
        byte[] inner = Arrays.copyOf(plain, plain.length - pad - 1);
        Arrays.fill(plain, (byte) 0);
        return inner;
    }

    private static byte[] nonce(byte[] salt, byte[] iv) {
        byte[] n = Arrays.copyOf(salt, salt.length + iv.length);
        System.arraycopy(iv, 0, n, salt.length, iv.length);
        return n;
    }
}
