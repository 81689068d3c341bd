package io.p2sgw.ikev2.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte-by-byte tests of each payload codec: golden bytes written from the layouts of RFC 7296 §3 and ikev2.md §1
 * (and, where ikev2.md quotes them, the bytes strongSwan 5.9.8 sent), decoded field by field and re-encoded to the
 * same bytes; then the malformed cases with the notify each must fail with.
 */
class PayloadCodecTest {
    static final HexFormat HEX = HexFormat.of();

    static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    /** Decodes a one-payload chain of type {@code type} from body bytes and returns the payload. */
    static Payload decodeOne(PayloadType type, String body) {
        byte[] b = hex(body);
        ByteBuffer chain = ByteBuffer.allocate(4 + b.length);
        chain.put((byte) 0).put((byte) 0).putShort((short) (4 + b.length)).put(b);
        List<Payload> ps = PayloadChain.decode(chain.array(), 0, chain.capacity(), type.code(), 0, false);
        assertEquals(1, ps.size());
        return ps.getFirst();
    }

    static String bodyHex(Payload p) {
        ByteBuffer b = ByteBuffer.allocate(p.bodyLength());
        p.encodeBody(b);
        assertFalse(b.hasRemaining(), "bodyLength() agrees with encodeBody()");
        return HEX.formatHex(b.array());
    }

    static void assertRoundTrip(PayloadType type, String body) {
        assertEquals(HEX.formatHex(hex(body)), bodyHex(decodeOne(type, body)));
    }

    static IkeException syntaxError(PayloadType type, String body) {
        IkeException e = assertThrows(IkeException.class, () -> decodeOne(type, body));
        assertEquals(NotifyType.INVALID_SYNTAX, e.notifyType(), e.getMessage());
        return e;
    }

    @Test
    void headerOfAStrongSwanIkeSaInitRequest() {
        // ikev2.md §1.1: SPIr 0, Next Payload SA, version 0x20, IKE_SA_INIT, flags 0x08 (I), Message ID 0; 940 bytes.
        byte[] b = new byte[940];
        System.arraycopy(hex("0123456789abcdef 0000000000000000 21 20 22 08 00000000 000003ac"), 0, b, 0, 28);
        IkeHeader h = IkeHeader.parse(b, 0, 940);
        assertEquals(0x0123456789abcdefL, h.initiatorSpi());
        assertEquals(0, h.responderSpi());
        assertEquals(PayloadType.SA.code(), h.nextPayload());
        assertEquals(ExchangeType.IKE_SA_INIT, h.exchange().orElseThrow());
        assertTrue(h.fromInitiator());
        assertFalse(h.isResponse());
        assertEquals(0, h.messageId());
        assertEquals(940, h.length());
        ByteBuffer out = ByteBuffer.allocate(28);
        h.encode(out);
        assertArrayEquals(java.util.Arrays.copyOf(b, 28), out.array());
    }

    @Test
    void headerChecks() {
        byte[] b = hex("0123456789abcdef 0000000000000000 00 20 22 08 00000000 0000001c");
        assertEquals(28, IkeHeader.parse(b, 0, 28).length());
        // Message ID and length are unsigned 32-bit fields.
        byte[] big = hex("0123456789abcdef 0000000000000000 00 20 25 20 ffffffff 0000001c");
        assertEquals(0xFFFFFFFFL, Integer.toUnsignedLong(IkeHeader.parse(big, 0, 28).messageId()));
        // Major version 3 → INVALID_MAJOR_VERSION (RFC 7296 §2.5); minor versions are ignored.
        byte[] v3 = b.clone();
        v3[17] = 0x30;
        assertEquals(NotifyType.INVALID_MAJOR_VERSION,
                assertThrows(IkeException.class, () -> IkeHeader.parse(v3, 0, 28)).notifyType());
        byte[] v21 = b.clone();
        v21[17] = 0x21;
        assertEquals(0x21, IkeHeader.parse(v21, 0, 28).version());
        // Length field ≠ datagram, and a truncated header.
        assertEquals(NotifyType.INVALID_SYNTAX,
                assertThrows(IkeException.class, () -> IkeHeader.parse(java.util.Arrays.copyOf(b, 29), 0, 29))
                        .notifyType());
        assertEquals(NotifyType.INVALID_SYNTAX,
                assertThrows(IkeException.class, () -> IkeHeader.parse(b, 0, 27)).notifyType());
        byte[] huge = b.clone();
        huge[24] = (byte) 0x80;
        assertThrows(IkeException.class, () -> IkeHeader.parse(huge, 0, 28));
    }

    @Test
    void saPayloadWithKeyLengthAttribute() {
        // One IKE proposal #1: ENCR AES-CBC(12)/256, INTEG SHA2-256-128(12), PRF SHA2-256(5), DH 31 (RFC 7296 §3.3).
        String body = "00 00 002c 01 01 00 04"
                + " 03 00 000c 01 00 000c 800e 0100"
                + " 03 00 0008 03 00 000c"
                + " 03 00 0008 02 00 0005"
                + " 00 00 0008 04 00 001f";
        SaPayload sa = (SaPayload) decodeOne(PayloadType.SA, body);
        Proposal p = sa.proposals().getFirst();
        assertEquals(1, p.number());
        assertEquals(Proposal.PROTOCOL_IKE, p.protocolId());
        assertEquals(0, p.spi().length);
        assertEquals(List.of(Transform.of(TransformType.ENCR, 12, 256), Transform.of(TransformType.INTEG, 12),
                Transform.of(TransformType.PRF, 5), Transform.of(TransformType.DH, 31)), p.transforms());
        assertRoundTrip(PayloadType.SA, body);
    }

    @Test
    void saPayloadTwoEspProposalsWithSpi() {
        // strongSwan's IKE_AUTH ESP offer shape (ikev2.md §2.1): #1 AES-GCM-16/128 + ESN none, #2 AES-CBC/128 +
        // SHA2-256-128 + ESN none, both with the same 4-byte SPI.
        String body = "02 00 0020 01 03 04 02 c1a2b3d4"
                + " 03 00 000c 01 00 0014 800e 0080"
                + " 00 00 0008 05 00 0000"
                + " 00 00 0028 02 03 04 03 c1a2b3d4"
                + " 03 00 000c 01 00 000c 800e 0080"
                + " 03 00 0008 03 00 000c"
                + " 00 00 0008 05 00 0000";
        SaPayload sa = (SaPayload) decodeOne(PayloadType.SA, body);
        assertEquals(2, sa.proposals().size());
        assertEquals(2, sa.proposals().get(1).number());
        assertArrayEquals(hex("c1a2b3d4"), sa.proposals().get(1).spi());
        assertEquals(List.of(Transform.of(TransformType.ESN, 0)), sa.proposals().get(0).transformsOf(5));
        assertRoundTrip(PayloadType.SA, body);
    }

    @Test
    void saPayloadMalformed() {
        // Last-substructure markers that lie (RFC 7296 §3.3.1: 0 last, 2 more; §3.3.2: 0 last, 3 more).
        syntaxError(PayloadType.SA, "02 00 0010 01 01 00 01 00 00 0008 01 00 000c");
        syntaxError(PayloadType.SA, "00 00 0010 01 01 00 01 03 00 0008 01 00 000c");
        // Proposal longer than the payload; transform length below 8; no transforms; bytes after the transforms.
        syntaxError(PayloadType.SA, "00 00 0011 01 01 00 01 00 00 0008 01 00 000c");
        syntaxError(PayloadType.SA, "00 00 0010 01 01 00 01 00 00 0007 01 00 000c");
        syntaxError(PayloadType.SA, "00 00 0008 01 01 00 00");
        syntaxError(PayloadType.SA, "00 00 0012 01 01 00 01 00 00 0008 01 00 000c 0000");
        // SPI larger than 8; TLV attribute running past the transform.
        syntaxError(PayloadType.SA, "00 00 0019 01 01 09 01 000000000000000000 00 00 0008 01 00 000c");
        syntaxError(PayloadType.SA, "00 00 0014 01 01 00 01 00 00 000c 01 00 000c 0001 0004");
        // An empty SA payload.
        syntaxError(PayloadType.SA, "");
    }

    @Test
    void unknownTransformAttributeMarksTheTransform() {
        // A TV attribute of type 99 (not defined): the transform is kept but marked (RFC 7296 §3.3.6).
        String body = "00 00 0018 01 01 00 01 00 00 0010 01 00 000c 8063 0001 800e 0080";
        Transform t = ((SaPayload) decodeOne(PayloadType.SA, body)).proposals().getFirst().transforms().getFirst();
        assertTrue(t.unknownAttribute());
        assertEquals(128, t.keyLength());
    }

    @Test
    void kePayloadX25519() {
        String body = "001f 0000" + "11".repeat(32);
        KePayload ke = (KePayload) decodeOne(PayloadType.KE, body);
        assertEquals(31, ke.group());
        assertEquals(32, ke.keyData().length);
        assertRoundTrip(PayloadType.KE, body);
        syntaxError(PayloadType.KE, "001f 0000");
        syntaxError(PayloadType.KE, "0012 0000" + "00".repeat(KePayload.MAX_KEY_DATA + 1));
    }

    @Test
    void noncePayloadLimits() {
        assertRoundTrip(PayloadType.NONCE, "ab".repeat(32));
        assertRoundTrip(PayloadType.NONCE, "ab".repeat(16));
        assertRoundTrip(PayloadType.NONCE, "ab".repeat(256));
        syntaxError(PayloadType.NONCE, "ab".repeat(15));
        syntaxError(PayloadType.NONCE, "ab".repeat(257));
    }

    @Test
    void notifySignatureHashAlgorithmsAsStrongSwanSendsIt() {
        // ikev2.md §1.6: strongSwan sent data 0002 0003 0004 0005.
        String body = "00 00 402f 0002000300040005";
        NotifyPayload n = (NotifyPayload) decodeOne(PayloadType.NOTIFY, body);
        assertEquals(NotifyType.SIGNATURE_HASH_ALGORITHMS, n.known().orElseThrow());
        assertArrayEquals(hex("0002000300040005"), n.data());
        assertEquals(body.replace(" ", ""), bodyHex(NotifyPayload.of(NotifyType.SIGNATURE_HASH_ALGORITHMS,
                hex("0002000300040005"))));
    }

    @Test
    void notifyRekeySaWithEspSpi() {
        // ikev2.md §7.3: N(REKEY_SA), protocol 3, SPI size 4, SPI = the sender's inbound SPI.
        String body = "03 04 4009 c1a2b3d4";
        NotifyPayload n = (NotifyPayload) decodeOne(PayloadType.NOTIFY, body);
        assertEquals(3, n.protocolId());
        assertArrayEquals(hex("c1a2b3d4"), n.spi());
        assertEquals(0, n.data().length);
        assertTrue(n.is(NotifyType.REKEY_SA));
        assertRoundTrip(PayloadType.NOTIFY, body);
        syntaxError(PayloadType.NOTIFY, "03 04 4009 c1a2b3");
        syntaxError(PayloadType.NOTIFY, "03 09 4009 000000000000000000");
        syntaxError(PayloadType.NOTIFY, "00 00 40");
        // A vendor-private status notify survives as a number (MS_NOTIFY_STATUS 12345, ikev2.md §1.6).
        assertTrue(((NotifyPayload) decodeOne(PayloadType.NOTIFY, "00 00 3039 01")).known().isEmpty());
    }

    @Test
    void idPayloadStrongSwanDn() {
        // ikev2.md §1.9: IDi type 9 with the DER subject "CN=client1" as strongSwan sent it.
        String dn = "3012311030 0e06035504030c07" + HEX.formatHex("client1".getBytes());
        String body = "09 000000 " + dn;
        IdPayload id = (IdPayload) decodeOne(PayloadType.IDI, body);
        assertEquals(IdPayload.ID_DER_ASN1_DN, id.idType());
        assertFalse(id.responder());
        assertArrayEquals(hex(dn), id.data());
        assertArrayEquals(hex(body), id.body());
        // IDr FQDN with non-zero reserved bytes: kept as received, since AUTH covers them (ikev2.md §3.4).
        String fqdn = "02 010203 " + HEX.formatHex("vpn.example.test".getBytes());
        IdPayload r = (IdPayload) decodeOne(PayloadType.IDR, fqdn);
        assertTrue(r.responder());
        assertEquals(0x010203, r.reserved());
        assertRoundTrip(PayloadType.IDR, fqdn);
        syntaxError(PayloadType.IDI, "09 000000");
    }

    @Test
    void certAndCertRequest() {
        assertEquals(CertPayload.X509_SIGNATURE, ((CertPayload) decodeOne(PayloadType.CERT, "04 3082")).encoding());
        assertRoundTrip(PayloadType.CERT, "04 308201");
        syntaxError(PayloadType.CERT, "04");
        // Two SHA-1(SPKI) hashes in one CERTREQ (ikev2.md §1.11), and the legal empty list.
        String two = "04" + "aa".repeat(20) + "bb".repeat(20);
        assertEquals(2, ((CertRequestPayload) decodeOne(PayloadType.CERTREQ, two)).hashCount());
        assertRoundTrip(PayloadType.CERTREQ, two);
        assertEquals(0, ((CertRequestPayload) decodeOne(PayloadType.CERTREQ, "04")).hashCount());
        syntaxError(PayloadType.CERTREQ, "");
    }

    @Test
    void authMethod14Sha256WithRsa() {
        // ikev2.md §1.12: method 14, length byte 0x0f, sha256WithRSAEncryption AlgorithmIdentifier, then the value.
        String body = "0e 000000 0f 300d06092a864886f70d01010b0500" + "5a".repeat(256);
        AuthPayload a = (AuthPayload) decodeOne(PayloadType.AUTH, body);
        assertEquals(AuthPayload.DIGITAL_SIGNATURE, a.method());
        assertEquals(16 + 256, a.data().length);
        assertRoundTrip(PayloadType.AUTH, body);
        syntaxError(PayloadType.AUTH, "0e 000000");
    }

    @Test
    void trafficSelectorsAnyAndNarrowed() {
        // ikev2.md §1.13 and §2.1: strongSwan's 0.0.0.0-255.255.255.255, any protocol, ports 0-65535.
        String any = "01 000000 07 00 0010 0000 ffff 00000000 ffffffff";
        TrafficSelectorPayload tsi = (TrafficSelectorPayload) decodeOne(PayloadType.TSI, any);
        assertEquals(1, tsi.selectors().size());
        TrafficSelector s = tsi.selectors().getFirst();
        assertEquals(TrafficSelector.TS_IPV4_ADDR_RANGE, s.tsType());
        assertEquals(0xFFFF, s.endPort());
        assertEquals(any.replace(" ", ""),
                bodyHex(new TrafficSelectorPayload(false, List.of(TrafficSelector.anyIpv4()))));
        // Narrowed reply (ikev2.md §2.3 step 9): TSr = 10.1.0.0/16 and 10.2.0.0/16.
        String two = "02 000000 07 00 0010 0000 ffff 0a010000 0a01ffff 07 00 0010 0000 ffff 0a020000 0a02ffff";
        assertRoundTrip(PayloadType.TSR, two);
        // IPv6 range selector, 40 bytes.
        assertRoundTrip(PayloadType.TSI, "01 000000 08 00 0028 0000 ffff" + "00".repeat(16) + "ff".repeat(16));
        syntaxError(PayloadType.TSI, "00 000000");
        syntaxError(PayloadType.TSI, "02 000000 07 00 0010 0000 ffff 00000000 ffffffff");
        syntaxError(PayloadType.TSI, "01 000000 07 00 0011 0000 ffff 00000000 ffffffff 00");
        syntaxError(PayloadType.TSI, "01 000000 07 00 0010 0000 ffff 00000000 ffffffff 00");
        assertEquals(NotifyType.TS_UNACCEPTABLE, assertThrows(IkeException.class,
                () -> decodeOne(PayloadType.TSI, "01 000000 0d 00 0010 0000 ffff 00000000 ffffffff")).notifyType());
    }

    @Test
    void configRequestAndReplyAsInTheProbe() {
        // ikev2.md §1.14: strongSwan's CFG_REQUEST {INTERNAL_IP4_ADDRESS len 0, INTERNAL_IP4_DNS len 0} and the
        // CFG_REPLY {172.16.201.10, DNS 10.1.0.53} it accepted.
        String req = "01 000000 0001 0000 0003 0000";
        ConfigPayload cp = (ConfigPayload) decodeOne(PayloadType.CP, req);
        assertEquals(ConfigPayload.CFG_REQUEST, cp.cfgType());
        assertEquals(List.of(1, 3), cp.attributes().stream().map(ConfigAttribute::type).toList());
        assertRoundTrip(PayloadType.CP, req);
        ConfigPayload reply = new ConfigPayload(ConfigPayload.CFG_REPLY,
                List.of(new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, hex("ac10c90a")),
                        new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_DNS, hex("0a010035"))));
        assertEquals("02000000" + "00010004ac10c90a" + "000300040a010035", bodyHex(reply));
        // The reserved top bit of the attribute type is ignored; a Windows-private attribute is just a number.
        assertEquals(ConfigAttribute.MS_INTERNAL_IP4_SERVER,
                ((ConfigPayload) decodeOne(PayloadType.CP, "01 000000 dba0 0000")).attributes().getFirst().type());
        syntaxError(PayloadType.CP, "01 0000");
        syntaxError(PayloadType.CP, "01 000000 0001 0004 0a00");
        syntaxError(PayloadType.CP, "01 000000 00");
    }

    @Test
    void eapPayloadLengthMustMatch() {
        // EAP-Request/Identity, id 1 (RFC 3748 §4, §5.1).
        assertEquals(EapPayload.CODE_REQUEST, ((EapPayload) decodeOne(PayloadType.EAP, "01 01 0005 01")).code());
        assertRoundTrip(PayloadType.EAP, "02 07 0009 0d 00 414243");
        assertRoundTrip(PayloadType.EAP, "03 07 0004");
        syntaxError(PayloadType.EAP, "01 01 0006 01");
        syntaxError(PayloadType.EAP, "01 01 0004");
        syntaxError(PayloadType.EAP, "05 01 0004");
        syntaxError(PayloadType.EAP, "01 01 00");
        // Success and Failure are the bare header (RFC 3748 §4.2).
        syntaxError(PayloadType.EAP, "03 07 0005 00");
        syntaxError(PayloadType.EAP, "04 07 0006 0000");
    }

    @Test
    void deletePayloadsAsVerified() {
        // ikev2.md §1.7: D(IKE) body 01 00 0000; D(ESP, one SPI) 03 04 0001 SPI.
        assertEquals(DeletePayload.ike(), decodeOne(PayloadType.DELETE, "01 00 0000"));
        assertEquals("01000000", bodyHex(DeletePayload.ike()));
        DeletePayload d = (DeletePayload) decodeOne(PayloadType.DELETE, "03 04 0001 c1a2b3d4");
        assertEquals(List.of(0xc1a2b3d4), d.espSpis());
        assertEquals("03040001c1a2b3d4", bodyHex(DeletePayload.esp(List.of(0xc1a2b3d4))));
        assertRoundTrip(PayloadType.DELETE, "03 04 0002 00000101 00000202");
        syntaxError(PayloadType.DELETE, "01 08 0000");
        syntaxError(PayloadType.DELETE, "01 00 0001");
        syntaxError(PayloadType.DELETE, "03 04 0002 00000101");
        syntaxError(PayloadType.DELETE, "03 08 0001 0000010100000202");
        syntaxError(PayloadType.DELETE, "09 00 0000");
    }

    @Test
    void vendorIdIsOpaque() {
        assertRoundTrip(PayloadType.VENDOR_ID, "1e2b516905991c7d7c96fcbfb587e46100000009");
        assertRoundTrip(PayloadType.VENDOR_ID, "");
    }
}
