// Just enough DER (ITU-T X.690 §8.1) and X.509 (RFC 5280 §4.1) to show an operator what a root
// certificate is before it is saved: subject/issuer CN, validity and the SHA-1 thumbprint that
// Azure's portal and vpnClientRevokedCertificates use (azure-p2s.md §2.3, §2.4).
// Every read checks the remaining length first; limits are named constants.

/** A certificate larger than this is not a plausible P2S root (Azure's are ~1 KB). */
export const MAX_CERT_BYTES = 64 * 1024;
/** Deepest nesting we follow; X.509 names need 4 levels under tbsCertificate. */
const MAX_DEPTH = 8;
const TAG_SEQUENCE = 0x30;
const TAG_SET = 0x31;
const TAG_OID = 0x06;
const TAG_UTC_TIME = 0x17;
const TAG_GENERALIZED_TIME = 0x18;
const TAG_CONTEXT_0 = 0xa0;
const TAG_CONTEXT_3 = 0xa3;
const TAG_BOOLEAN = 0x01;
const TAG_OCTET_STRING = 0x04;
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';

export class DerError extends Error {}

/** Reads one TLV at {@code offset} of {@code bytes} (up to {@code end}); returns {tag, start, end, next}. */
export function readTlv(bytes, offset, end) {
  if (offset + 2 > end) throw new DerError('truncated DER header');
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used in X.509');
  let lengthByte = bytes[offset + 1];
  let pos = offset + 2;
  let length;
  if (lengthByte < 0x80) {
    length = lengthByte;
  } else {
    const count = lengthByte & 0x7f;
    // DER forbids the indefinite form (X.690 §10.1); 4 length octets are far beyond MAX_CERT_BYTES.
    if (count === 0 || count > 4) throw new DerError('unsupported DER length form');
    if (pos + count > end) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[pos + i];
    pos += count;
  }
  if (length > end - pos) throw new DerError('DER value runs past its container');
  return { tag, start: pos, end: pos + length, next: pos + length };
}

/** The TLVs directly inside a constructed value. */
function children(bytes, tlv) {
  const out = [];
  let p = tlv.start;
  while (p < tlv.end) {
    const c = readTlv(bytes, p, tlv.end);
    out.push(c);
    p = c.next;
  }
  return out;
}

function expect(tlv, tag, what) {
  if (tlv.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${tlv.tag.toString(16)}`);
  return tlv;
}

function decodeOid(bytes, tlv) {
  if (tlv.end - tlv.start < 1) throw new DerError('empty OID');
  const first = bytes[tlv.start];
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let v = 0;
  for (let i = tlv.start + 1; i < tlv.end; i++) {
    v = v * 128 + (bytes[i] & 0x7f);
    if ((bytes[i] & 0x80) === 0) { parts.push(v); v = 0; }
  }
  return parts.join('.');
}

function decodeString(bytes, tlv) {
  const raw = bytes.subarray(tlv.start, tlv.end);
  if (tlv.tag === 0x1e) { // BMPString: UTF-16BE
    let s = '';
    for (let i = 0; i + 1 < raw.length; i += 2) s += String.fromCharCode(raw[i] * 256 + raw[i + 1]);
    return s;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(raw);
}

/** RFC 5280 §4.1.2.5: UTCTime YYMMDDHHMMSSZ (YY < 50 → 20YY) or GeneralizedTime YYYYMMDDHHMMSSZ. */
function decodeTime(bytes, tlv) {
  const s = new TextDecoder('ascii').decode(bytes.subarray(tlv.start, tlv.end));
  let m;
  if (tlv.tag === TAG_UTC_TIME && (m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))) {
    const yy = Number(m[1]);
    return new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, m[2] - 1, m[3], m[4], m[5], m[6]));
  }
  if (tlv.tag === TAG_GENERALIZED_TIME && (m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))) {
    return new Date(Date.UTC(m[1], m[2] - 1, m[3], m[4], m[5], m[6]));
  }
  throw new DerError('unsupported time format');
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue). */
function decodeName(bytes, tlv) {
  const attrs = {};
  for (const rdn of children(bytes, expect(tlv, TAG_SEQUENCE, 'Name'))) {
    for (const atv of children(bytes, expect(rdn, TAG_SET, 'RDN'))) {
      const [type, value] = children(bytes, expect(atv, TAG_SEQUENCE, 'AttributeTypeAndValue'));
      if (!type || !value) throw new DerError('incomplete attribute');
      const oid = decodeOid(bytes, expect(type, TAG_OID, 'attribute type'));
      if (!(oid in attrs)) attrs[oid] = decodeString(bytes, value);
    }
  }
  return { cn: attrs[OID_COMMON_NAME] ?? '', o: attrs[OID_ORGANIZATION] ?? '' };
}

/** Parses a DER X.509 certificate: {subjectCN, issuerCN, notBefore, notAfter, selfIssued, isCA}. */
export function parseCertificate(der) {
  if (der.length > MAX_CERT_BYTES) throw new DerError('certificate too large');
  const cert = expect(readTlv(der, 0, der.length), TAG_SEQUENCE, 'Certificate');
  if (cert.next !== der.length) throw new DerError('trailing bytes after the certificate');
  const [tbs] = children(der, cert);
  if (!tbs) throw new DerError('missing tbsCertificate');
  const f = children(der, expect(tbs, TAG_SEQUENCE, 'tbsCertificate'));
  let i = f.length > 0 && f[0].tag === TAG_CONTEXT_0 ? 1 : 0; // [0] EXPLICIT version is optional
  // serialNumber, signature, issuer, validity, subject
  if (f.length < i + 5) throw new DerError('tbsCertificate has too few fields');
  const issuer = decodeName(der, f[i + 2]);
  const validity = children(der, expect(f[i + 3], TAG_SEQUENCE, 'Validity'));
  if (validity.length !== 2) throw new DerError('Validity must hold two times');
  const subject = decodeName(der, f[i + 4]);
  const subjectRaw = der.subarray(f[i + 4].start, f[i + 4].end).join(',');
  const issuerRaw = der.subarray(f[i + 2].start, f[i + 2].end).join(',');
  return {
    subjectCN: subject.cn,
    subjectO: subject.o,
    issuerCN: issuer.cn,
    notBefore: decodeTime(der, validity[0]),
    notAfter: decodeTime(der, validity[1]),
    selfIssued: subjectRaw === issuerRaw,
    isCA: basicConstraintsCA(der, f.slice(i + 6)),
  };
}

/**
 * Whether the extensions ([3] EXPLICIT, RFC 5280 §4.1.2.9) hold basicConstraints with cA TRUE (§4.2.1.9).
 * A root without it cannot issue client certificates that chain to it; Azure still accepts it, so the portal
 * only warns (issue 16).
 */
function basicConstraintsCA(der, rest) {
  const ext = rest.find((t) => t.tag === TAG_CONTEXT_3);
  if (!ext) return false;
  const [list] = children(der, ext);
  if (!list) return false;
  for (const e of children(der, expect(list, TAG_SEQUENCE, 'Extensions'))) {
    const parts = children(der, expect(e, TAG_SEQUENCE, 'Extension'));
    if (parts.length < 2 || decodeOid(der, expect(parts[0], TAG_OID, 'extnID')) !== OID_BASIC_CONSTRAINTS) continue;
    const value = expect(parts[parts.length - 1], TAG_OCTET_STRING, 'extnValue');
    const [seq] = children(der, value);
    if (!seq) return false;
    const [first] = children(der, expect(seq, TAG_SEQUENCE, 'BasicConstraints'));
    // cA BOOLEAN DEFAULT FALSE: absent means false; DER encodes TRUE as 0xff.
    return Boolean(first && first.tag === TAG_BOOLEAN && first.end - first.start === 1 && der[first.start] !== 0);
  }
  return false;
}

/**
 * Cleans pasted certificate text to the one-line Base-64 of the DER that publicCertData holds:
 * PEM armour, blank lines and all whitespace removed (azure-p2s.md §2.3, "one continuous line").
 */
export function cleanCertificateText(text) {
  return String(text)
    .replace(/-----BEGIN [^-]+-----/g, '')
    .replace(/-----END [^-]+-----/g, '')
    .replace(/[\s\r\n]+/g, '');
}

export function base64ToBytes(b64) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new DerError('not Base-64');
  if (b64.length / 4 * 3 > MAX_CERT_BYTES) throw new DerError('certificate too large');
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

/**
 * A `.cer` file may be DER or Base-64 (the seed asks for "Base-64 encoded X.509 (.CER)"); returns the
 * one-line Base-64 either way.
 */
export function cerFileToCertData(bytes) {
  if (bytes.length > 0 && bytes[0] === TAG_SEQUENCE) return bytesToBase64(bytes);
  return cleanCertificateText(new TextDecoder('ascii').decode(bytes));
}

/** Parses one-line publicCertData; returns {ok:true, info} or {ok:false, error}. */
export function describeCertData(certData) {
  try {
    const der = base64ToBytes(certData);
    return { ok: true, info: parseCertificate(der), der };
  } catch (e) {
    return { ok: false, error: e instanceof DerError ? e.message : 'not a certificate' };
  }
}

/** SHA-1 thumbprint of the DER, lower-case hex (Azure shows it upper-case; compare case-insensitively). */
export async function thumbprint(der) {
  if (!globalThis.crypto?.subtle) return '';
  const h = new Uint8Array(await crypto.subtle.digest('SHA-1', der));
  return Array.from(h, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Cleans a pasted thumbprint: Windows' certificate dialog shows it with spaces, OpenSSL with colons,
 * and copying from the dialog can add an invisible U+200E mark (azure-p2s.md §2.4).
 */
export function cleanThumbprint(text) {
  return String(text).replace(/[\s:\u200e\u200f-]+/g, '').toLowerCase();
}

export const THUMBPRINT_PATTERN = /^[0-9a-f]{40}$/;

/** Days from {@code now} to {@code date}, rounded down. */
export function daysUntil(date, now = new Date()) {
  return Math.floor((date.getTime() - now.getTime()) / 86400000);
}

/** Certificates expiring within this many days are flagged on the Overview (issue 5). */
export const EXPIRY_WARNING_DAYS = 30;
