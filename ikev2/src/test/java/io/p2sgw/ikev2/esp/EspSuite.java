package io.p2sgw.ikev2.esp;

import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Every ESP suite the proposal selector can choose (EncryptionAlgorithm × IntegrityAlgorithm, ESN never), with fixed
 * test keys, and a reference ESP encoder written straight from RFC 4303 §2 / RFC 3602 / RFC 4106 with plain JCA
 * (a fresh cipher and a random IV per packet), independent of the code under test, for building packets the SA
 * under test would never send (bad padding, other Next Headers, TFC padding, dummies).
 */
enum EspSuite {
    GCM_128(EncryptionAlgorithm.AES_GCM_16_128, null),
    GCM_256(EncryptionAlgorithm.AES_GCM_16_256, null),
    CBC_128_SHA1(EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.HMAC_SHA1_96),
    CBC_256_SHA1(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA1_96),
    CBC_128_SHA256(EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.HMAC_SHA2_256_128),
    CBC_256_SHA256(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_256_128),
    CBC_256_SHA384(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_384_192),
    CBC_256_SHA512(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_512_256);

    static final int SPI = 0xc0ffee01;
    private static final SecureRandom RANDOM = new SecureRandom();

    final EncryptionAlgorithm encryption;
    final Optional<IntegrityAlgorithm> integrity;

    EspSuite(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity) {
        this.encryption = encryption;
        this.integrity = Optional.ofNullable(integrity);
    }

    byte[] encryptionKey() {
        return counting(encryption.isAead() ? 0x80 : 0x00, encryption.keyMaterialLength());
    }

    byte[] integrityKey() {
        return counting(0x40, integrity.map(IntegrityAlgorithm::keyLength).orElse(0));
    }

    OutboundEspSa outbound() {
        return new OutboundEspSa(SPI, encryption, integrity, encryptionKey(), integrityKey());
    }

    InboundEspSa inbound(int window) {
        return new InboundEspSa(SPI, encryption, integrity, encryptionKey(), integrityKey(), window);
    }

    InboundEspSa inbound() {
        return inbound(EspSa.DEFAULT_REPLAY_WINDOW);
    }

    int ivLength() {
        return encryption.ivLength();
    }

    int icvLength() {
        return encryption.isAead() ? encryption.tagLength() : integrity.orElseThrow().icvLength();
    }

    /** The plaintext block: 16 for CBC, 4 (RFC 4303 §2.4 alignment) for GCM. */
    int padBlock() {
        return encryption.isAead() ? 4 : 16;
    }

    static byte[] counting(int start, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    /** An IPv4 header (version 4, IHL 5, Total Length n, protocol 1, 172.16.201.10 → 10.1.0.4) and n - 20 fill bytes. */
    static byte[] ipv4(int n, int fill) {
        byte[] p = new byte[n];
        byte[] hdr = {0x45, 0, (byte) (n >>> 8), (byte) n, 0, 0, 0x40, 0, 64, 1, 0, 0, (byte) 172, 16, (byte) 201, 10,
                10, 1, 0, 4};
        System.arraycopy(hdr, 0, p, 0, Math.min(n, hdr.length));
        for (int i = hdr.length; i < n; i++) {
            p[i] = (byte) fill;
        }
        return p;
    }

    /** payload ‖ 1, 2, 3... ‖ Pad Length ‖ Next Header, padded to the suite's block (RFC 4303 §2.4). */
    byte[] plaintext(byte[] payload, int nextHeader) {
        int padLength = Math.floorMod(-(payload.length + 2), padBlock());
        byte[] p = new byte[payload.length + padLength + 2];
        System.arraycopy(payload, 0, p, 0, payload.length);
        for (int i = 0; i < padLength; i++) {
            p[payload.length + i] = (byte) (i + 1);
        }
        p[p.length - 2] = (byte) padLength;
        p[p.length - 1] = (byte) nextHeader;
        return p;
    }

    /** The reference encoder: SPI ‖ seq ‖ random IV ‖ E(plaintext) ‖ ICV, for a plaintext that already has its trailer. */
    byte[] referenceSeal(int spi, long seq, byte[] plaintext) {
        byte[] iv = new byte[ivLength()];
        RANDOM.nextBytes(iv);
        ByteBuffer header = ByteBuffer.allocate(8).putInt(spi).putInt((int) seq);
        try {
            byte[] key = encryptionKey();
            if (encryption.isAead()) {
                byte[] nonce = new byte[12];
                System.arraycopy(key, encryption.keyLength(), nonce, 0, 4);
                System.arraycopy(iv, 0, nonce, 4, 8);
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, encryption.keyLength(), "AES"),
                        new GCMParameterSpec(128, nonce));
                c.updateAAD(header.array());
                byte[] ct = c.doFinal(plaintext);
                return ByteBuffer.allocate(8 + iv.length + ct.length).put(header.array()).put(iv).put(ct).array();
            }
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] ct = c.doFinal(plaintext);
            byte[] body = ByteBuffer.allocate(8 + iv.length + ct.length).put(header.array()).put(iv).put(ct).array();
            byte[] icv = referenceIcv(body, 0, body.length);
            return ByteBuffer.allocate(body.length + icv.length).put(body).put(icv).array();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** JCA's HMAC over b[off, off+len), truncated to the ICV (RFC 4868 §2.1.1). */
    byte[] referenceIcv(byte[] b, int off, int len) {
        IntegrityAlgorithm i = integrity.orElseThrow();
        Mac mac = i.newMac(integrityKey());
        mac.update(b, off, len);
        byte[] full = mac.doFinal();
        byte[] icv = new byte[i.icvLength()];
        System.arraycopy(full, 0, icv, 0, icv.length);
        return icv;
    }

    /** The reference decoder: the plaintext (trailer included) of a packet {@link OutboundEspSa} sealed, or throws. */
    byte[] referenceOpen(byte[] packet) {
        try {
            byte[] key = encryptionKey();
            int ivOff = 8;
            int ctOff = ivOff + ivLength();
            if (encryption.isAead()) {
                byte[] nonce = new byte[12];
                System.arraycopy(key, encryption.keyLength(), nonce, 0, 4);
                System.arraycopy(packet, ivOff, nonce, 4, 8);
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, 0, encryption.keyLength(), "AES"),
                        new GCMParameterSpec(128, nonce));
                c.updateAAD(packet, 0, 8);
                return c.doFinal(packet, ctOff, packet.length - ctOff);
            }
            int icvOff = packet.length - icvLength();
            byte[] icv = referenceIcv(packet, 0, icvOff);
            if (!java.util.Arrays.equals(icv, 0, icv.length, packet, icvOff, packet.length)) {
                throw new AssertionError("ICV does not verify");
            }
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(packet, ivOff, 16));
            return c.doFinal(packet, ctOff, icvOff - ctOff);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
