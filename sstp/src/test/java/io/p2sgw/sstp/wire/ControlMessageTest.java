package io.p2sgw.sstp.wire;

import static io.p2sgw.testkit.bytes.Hex.bytes;
import static io.p2sgw.testkit.bytes.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden bytes from sstp.md §2.5 (the templates) and [MS-SSTP] §4.7 (the client's CONNECT_REQUEST). */
class ControlMessageTest {
    static final byte[] NONCE = bytes("412B489AEBD7ECC7D08966F26BE7CD72B231A0E9210D7C91B308862B0344C435");

    @Test
    void connectRequestFromTheSpec() {
        byte[] b = bytes("10 01 00 0E 00 01 00 01 00 01 00 06 00 01");
        ControlMessage m = ControlMessage.parse(b, 0, b.length);
        assertEquals(MessageType.CALL_CONNECT_REQUEST, m.type());
        assertEquals(ControlMessages.PROTOCOL_PPP, ControlMessages.requestedProtocol(m));
        assertArrayEquals(b, m.encode());
    }

    @Test
    void connectAckOffersBothHashes() {
        assertEquals("10010030" + "0002" + "0001" + "00040028" + "00000003" + hex(NONCE).toLowerCase(),
                hex(ControlMessages.connectAck(ControlMessages.HASH_SHA1 | ControlMessages.HASH_SHA256, NONCE)));
    }

    @Test
    void connectAckRefusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ControlMessages.connectAck(0, NONCE));
        assertThrows(IllegalArgumentException.class, () -> ControlMessages.connectAck(4, NONCE));
        assertThrows(IllegalArgumentException.class, () -> ControlMessages.connectAck(2, new byte[31]));
    }

    @Test
    void nakEchoesTheRefusedValue() {
        assertEquals("10010016" + "0003" + "0001" + "0002000e" + "00000001" + "00000004" + "0002",
                hex(ControlMessages.connectNak(AttributeId.ENCAPSULATED_PROTOCOL_ID, SstpStatus.VALUE_NOT_SUPPORTED,
                        bytes("0002"))));
    }

    @Test
    void abortDisconnectAndEmptyMessages() {
        assertEquals("10010014" + "0005" + "0001" + "0002000c" + "00000003" + "00000004",
                hex(ControlMessages.abort(AttributeId.CRYPTO_BINDING, SstpStatus.VALUE_NOT_SUPPORTED)));
        assertEquals("10010014" + "0006" + "0001" + "0002000c" + "00000000" + "00000000",
                hex(ControlMessages.disconnect(AttributeId.NO_ERROR, SstpStatus.NO_ERROR)));
        assertEquals("1001000800070000", hex(ControlMessages.disconnectAck()));
        assertEquals("1001000800080000", hex(ControlMessages.echoRequest()));
        assertEquals("1001000800090000", hex(ControlMessages.echoResponse()));
    }

    @Test
    void callAbortRefusesWhatMsSstp2213DoesNotAllow() {
        // AttribID NO_ERROR and the NAK/DISCONNECT statuses (0x00-0x03, 0x0A, 0x0B) are not for CALL_ABORT.
        assertThrows(IllegalArgumentException.class, () -> ControlMessages.abort(AttributeId.NO_ERROR,
                SstpStatus.INVALID_FRAME_RECEIVED));
        for (SstpStatus s : SstpStatus.values()) {
            if (s.code() < 0x04 || s.code() > 0x09) {
                assertThrows(IllegalArgumentException.class, () -> ControlMessages.abort(AttributeId.STATUS_INFO, s),
                        s.toString());
            } else {
                assertEquals(String.format("10010014000500010002000c00000002%08x", s.code()),
                        hex(ControlMessages.abort(AttributeId.STATUS_INFO, s)));
            }
        }
    }

    @Test
    void statusInfoOfAReceivedAbort() {
        byte[] b = ControlMessages.abort(AttributeId.STATUS_INFO, SstpStatus.NEGOTIATION_TIMEOUT);
        StatusInfo s = ControlMessage.parse(b, 0, b.length).statusInfo().orElseThrow();
        assertEquals(SstpStatus.NEGOTIATION_TIMEOUT, s.knownStatus().orElseThrow());
        assertEquals(AttributeId.STATUS_INFO.id(), s.attribute());
        assertEquals("NEGOTIATION_TIMEOUT (STATUS_INFO)", s.toString());
    }

    @Test
    void callConnectedIs112BytesAndParses() {
        CryptoBindingAttribute cb = new CryptoBindingAttribute(2, NONCE, new byte[32], new byte[32]);
        byte[] b = new ControlMessage(MessageType.CALL_CONNECTED, List.of(cb.toAttribute())).encode();
        assertEquals(CryptoBindingAttribute.CALL_CONNECTED_LENGTH, b.length);
        assertEquals("1001007000040001000300680000000" + "2", hex(b).substring(0, 32));
        CryptoBindingAttribute back = CryptoBindingAttribute.of(ControlMessage.parse(b, 0, b.length));
        assertEquals(2, back.hashProtocol());
        assertArrayEquals(NONCE, back.nonce());
    }

    @Test
    void framingFaultsAreInvalidFrames() {
        // Too short, header length disagreeing, unknown type, attribute running past the end, trailing bytes,
        // fewer attributes than announced, an attribute shorter than its header.
        for (String s : List.of("10 01 00 07 00 01 00", "10 01 00 0F 00 01 00 01 00 01 00 06 00 01",
                "10 01 00 08 00 0A 00 00", "10 01 00 0E 00 01 00 01 00 01 00 07 00 01",
                "10 01 00 0F 00 01 00 01 00 01 00 06 00 01 00", "10 01 00 0E 00 01 00 02 00 01 00 06 00 01",
                "10 01 00 0C 00 01 00 01 00 01 00 03", "10 00 00 08 00 08 00 00", "11 01 00 08 00 08 00 00")) {
            byte[] b = bytes(s);
            SstpException e = assertThrows(SstpException.class, () -> ControlMessage.parse(b, 0, b.length), s);
            assertEquals(SstpStatus.INVALID_FRAME_RECEIVED, e.status(), s);
        }
    }

    @Test
    void connectRequestAttributeChecks() {
        assertEquals(SstpStatus.REQUIRED_ATTRIBUTE_MISSING, fault("10 01 00 08 00 01 00 00"));
        assertEquals(SstpStatus.DUPLICATE_ATTRIBUTE,
                fault("10 01 00 14 00 01 00 02 00 01 00 06 00 01 00 01 00 06 00 01"));
        assertEquals(SstpStatus.UNRECOGNIZED_ATTRIBUTE, fault("10 01 00 0E 00 01 00 01 00 09 00 06 00 01"));
        assertEquals(SstpStatus.ATTRIB_NOT_SUPPORTED_IN_MSG, fault("10 01 00 0E 00 01 00 01 00 04 00 06 00 01"));
        assertEquals(SstpStatus.INVALID_ATTRIB_VALUE_LENGTH, fault("10 01 00 0F 00 01 00 01 00 01 00 07 00 01 00"));
    }

    @Test
    void callConnectedWithAShortBindingIsRefused() {
        byte[] b = new ControlMessage(MessageType.CALL_CONNECTED,
                List.of(new Attribute(AttributeId.CRYPTO_BINDING, new byte[99]))).encode();
        SstpException e = assertThrows(SstpException.class,
                () -> CryptoBindingAttribute.of(ControlMessage.parse(b, 0, b.length)));
        assertEquals(SstpStatus.INVALID_ATTRIB_VALUE_LENGTH, e.status());
        assertEquals(AttributeId.CRYPTO_BINDING, e.attribute());
    }

    @Test
    void statusInfoLengthIsChecked() {
        byte[] b = bytes("10 01 00 13 00 05 00 01 00 02 00 0B 00 00 00 00 00 00 00");
        ControlMessage m = ControlMessage.parse(b, 0, b.length);
        SstpException e = assertThrows(SstpException.class, m::statusInfo);
        assertEquals(SstpStatus.INVALID_ATTRIB_VALUE_LENGTH, e.status());
        assertTrue(e.getMessage().contains("7 bytes"));
    }

    private static SstpStatus fault(String hex) {
        byte[] b = bytes(hex);
        ControlMessage m = ControlMessage.parse(b, 0, b.length);
        return assertThrows(SstpException.class, () -> ControlMessages.requestedProtocol(m)).status();
    }
}
