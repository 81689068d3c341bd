#!/usr/bin/env python3
"""Independent computation of the ESP packets EspKnownAnswerTest expects from OutboundEspSa.

Written from RFC 4303 §2 (layout, default padding 1, 2, 3..., Next Header 4), RFC 3602 (AES-CBC with an explicit
16-byte IV), RFC 2404 / RFC 4868 (truncated HMAC over SPI..ciphertext) and RFC 4106 (nonce = salt || 8-byte IV,
AAD = SPI || 32-bit sequence number) alone, with Python's hmac and the `cryptography` package (OpenSSL); no code
shared with the Java under test. Our IV choices, which the wire format leaves to the sender:
  * GCM: IV = the 64-bit sequence number, big-endian;
  * CBC: IV = AES-ECB_K(8 zero bytes || 64-bit sequence number) (NIST SP 800-38A appendix C).
Run: python3 independent_esp_vectors.py
"""
import hashlib, hmac, struct
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SPI = 0xc0ffee01

def inner(n, fill):
    # An IPv4 header (version 4, IHL 5, Total Length n, protocol 1) followed by n - 20 bytes of `fill`.
    hdr = bytes([0x45, 0, n >> 8, n & 0xff, 0, 0, 0x40, 0, 64, 1, 0, 0, 172, 16, 201, 10, 10, 1, 0, 4])
    return hdr + bytes([fill]) * (n - 20)

def pad(p, block):
    padlen = (-(len(p) + 2)) % block
    return p + bytes(range(1, padlen + 1)) + bytes([padlen, 4])

def cbc(key, integ_key, digest, icv, seq, p):
    header = struct.pack('>II', SPI, seq)
    ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    iv = ecb.update(bytes(8) + struct.pack('>Q', seq))
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ct = enc.update(pad(p, 16)) + enc.finalize()
    body = header + iv + ct
    return body + hmac.new(integ_key, body, digest).digest()[:icv]

def gcm(key_salt, seq, p):
    key, salt = key_salt[:-4], key_salt[-4:]
    header = struct.pack('>II', SPI, seq)
    iv = struct.pack('>Q', seq)
    return header + iv + AESGCM(key).encrypt(salt + iv, pad(p, 4), header)

k256 = bytes(range(0x00, 0x20)); k128 = bytes(range(0x00, 0x10))
i256 = bytes(range(0x40, 0x60)); i160 = bytes(range(0x40, 0x54))
g256 = bytes(range(0x80, 0xa4)); g128 = bytes(range(0x80, 0x94))
print('cbc256-sha256 seq1', cbc(k256, i256, hashlib.sha256, 16, 1, inner(48, 0xaa)).hex())
print('cbc256-sha256 seq2', cbc(k256, i256, hashlib.sha256, 16, 2, inner(61, 0xbb)).hex())
print('cbc128-sha1 seq1', cbc(k128, i160, hashlib.sha1, 12, 1, inner(48, 0xaa)).hex())
print('gcm256 seq1', gcm(g256, 1, inner(48, 0xaa)).hex())
print('gcm256 seq2', gcm(g256, 2, inner(61, 0xbb)).hex())
print('gcm128 seq1', gcm(g128, 1, inner(48, 0xaa)).hex())
