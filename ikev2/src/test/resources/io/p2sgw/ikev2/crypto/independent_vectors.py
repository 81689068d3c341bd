#!/usr/bin/env python3
"""Independent computation of the values KeyDerivationTest and SkCipherTest expect.

Written from RFC 7296 §2.13-§2.17, §3.14 and RFC 5282 alone, with Python's hmac and the `cryptography` package
(OpenSSL) -- no code shared with the Java under test. Run: python3 independent_vectors.py
"""
import hashlib, hmac, struct
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.asymmetric import x25519

H = {'sha1': hashlib.sha1, 'sha256': hashlib.sha256, 'sha384': hashlib.sha384, 'sha512': hashlib.sha512}

def prf(h, k, s): return hmac.new(k, s, H[h]).digest()

def prf_plus(h, k, s, n):
    out, t, i = b'', b'', 1
    while len(out) < n:
        t = prf(h, k, t + s + bytes([i])); out += t; i += 1
    return out[:n]

# RFC 7748 §6.1 keys: the initiator is Alice, the responder Bob.
a = x25519.X25519PrivateKey.from_private_bytes(bytes.fromhex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'))
b = x25519.X25519PrivateKey.from_private_bytes(bytes.fromhex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'))
gir = a.exchange(b.public_key())
ni = bytes(range(0x00, 0x20)); nr = bytes(range(0x20, 0x40))
spii = bytes.fromhex('0102030405060708'); spir = bytes.fromhex('1112131415161718')
print('gir', gir.hex())

def ike_keys(h, prflen, integ, encr):
    seed = prf(h, ni + nr, gir)
    km = prf_plus(h, seed, ni + nr + spii + spir, 3 * prflen + 2 * integ + 2 * encr)
    names = ['SK_d', 'SK_ai', 'SK_ar', 'SK_ei', 'SK_er', 'SK_pi', 'SK_pr']
    lens = [prflen, integ, integ, encr, encr, prflen, prflen]
    keys, p = {}, 0
    for nm, ln in zip(names, lens):
        keys[nm] = km[p:p + ln]; p += ln
    return seed, keys

print('== A: AES-CBC-128 / HMAC-SHA2-256-128 / PRF-HMAC-SHA2-256 / group 31')
seedA, A = ike_keys('sha256', 32, 32, 16)
print('SKEYSEED', seedA.hex())
for k, v in A.items(): print(k, v.hex())
print('== B: AES-GCM-16-256 / PRF-HMAC-SHA2-384 / group 31')
seedB, B = ike_keys('sha384', 48, 0, 36)
print('SKEYSEED', seedB.hex())
for k, v in B.items(): print(k, v.hex())

print('== child keys from A.SK_d, nonces Ni|Nr')
print('esp aes-gcm-16-128', prf_plus('sha256', A['SK_d'], ni + nr, 2 * 20).hex())
print('esp aes-cbc-256/sha1-96', prf_plus('sha256', A['SK_d'], ni + nr, 2 * (32 + 20)).hex())
print('esp aes-gcm-16-128 pfs(gir)', prf_plus('sha256', A['SK_d'], gir + ni + nr, 2 * 20).hex())

# SK messages from the initiator: IKE_AUTH request, Message ID 1, inner = N(INITIAL_CONTACT).
inner = bytes.fromhex('0000000800004000')
def header(nxt, length):
    return spii + spir + bytes([nxt, 0x20, 35, 0x08]) + struct.pack('>II', 1, length)

# CBC: pad to 16 with the Pad Length byte, IV a0..af, HMAC-SHA256 over everything before the ICV, truncated to 16.
iv = bytes(range(0xa0, 0xb0))
padlen = (16 - (len(inner) + 1) % 16) % 16
plain = inner + b'\x00' * padlen + bytes([padlen])
enc = Cipher(algorithms.AES(A['SK_ei']), modes.CBC(iv)).encryptor()
ct = enc.update(plain) + enc.finalize()
total = 28 + 4 + 16 + len(ct) + 16
msg = header(46, total) + bytes([41, 0]) + struct.pack('>H', total - 28) + iv + ct
msg += hmac.new(A['SK_ai'], msg, hashlib.sha256).digest()[:16]
print('sk cbc', msg.hex())

# GCM: no padding (Pad Length 0), explicit IV = counter 1, nonce = salt (last 4 bytes of SK_ei) | IV, AAD = header | SK header.
iv = struct.pack('>Q', 1)
plain = inner + b'\x00'
total = 28 + 4 + 8 + len(plain) + 16
aad = header(46, total) + bytes([41, 0]) + struct.pack('>H', total - 28)
ct = AESGCM(B['SK_ei'][:32]).encrypt(B['SK_ei'][32:] + iv, plain, aad)
print('sk gcm', (aad + iv + ct).hex())
