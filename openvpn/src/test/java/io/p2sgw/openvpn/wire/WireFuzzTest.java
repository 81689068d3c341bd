package io.p2sgw.openvpn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Jazzer fuzz targets for every OpenVPN wire parser (STYLE.md §7.4 layer 4). In a normal {@code mvn test} they run
 * as regression tests over the seed corpus in {@code src/test/resources/io/p2sgw/openvpn/wire/WireFuzzTestInputs/};
 * with {@code JAZZER_FUZZ=1} they fuzz. Each target asserts that a parser either returns a well-formed value or
 * throws its declared {@link WireException}, never anything else, and where a round trip exists, that it holds.
 */
class WireFuzzTest {
    /** A fixed static key; the client's direction is the same key with its halves swapped (openvpn.md §4.1). */
    static final StaticKey SERVER_KEY;
    static final StaticKey CLIENT_KEY;
    static final long TIME = 0x60000000L;

    static {
        byte[] k = new byte[StaticKey.LENGTH];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 31 + 7);
        }
        SERVER_KEY = StaticKey.of(k);
        CLIENT_KEY = StaticKey.of(clientDirection(k));
    }

    /** Key direction 1 sends with what direction 0 receives with: bytes 128..256 first, then 0..128. */
    static byte[] clientDirection(byte[] serverKey) {
        byte[] c = new byte[serverKey.length];
        System.arraycopy(serverKey, 128, c, 0, 128);
        System.arraycopy(serverKey, 0, c, 128, 128);
        return c;
    }

    @FunctionalInterface
    interface WireCall<T> {
        T call() throws WireException;
    }

    /** Runs a parser: its value, or empty when it threw {@link WireException}; any other throwable fails the target. */
    static <T> Optional<T> parse(String what, WireCall<T> parser) {
        try {
            return Optional.of(parser.call());
        } catch (WireException e) {
            assertNotNull(e.code(), what + ": WireException without a code");
            return Optional.empty();
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(what + " threw " + e + " instead of WireException", e);
        }
    }

    @FuzzTest
    void packetHeader(byte[] data) {
        if (data.length > 0) {
            Optional<Opcode> op = Opcode.ofFirstByte(data[0]);
            int keyId = Opcode.keyIdOf(data[0]);
            assertTrue(keyId >= 0 && keyId <= Opcode.KEY_ID_MASK);
            op.ifPresent(o -> assertEquals(data[0], o.firstByte(keyId)));
        }
        // Parse at every offset a caller could pass (a TCP frame inside a larger buffer).
        for (int off = 0; off <= Math.min(data.length, 3); off++) {
            int o = off;
            parse("DataPacketHeader.parse", () -> DataPacketHeader.parse(data, o, data.length - o)).ifPresent(h -> {
                assertTrue(h.opcode().isData(), h.toString());
                int payload = data.length - o - h.headerLength() - DataPacketHeader.TAG_LENGTH;
                assertTrue(payload >= DataPacketHeader.MIN_PAYLOAD, h + " leaves " + payload + " payload bytes");
                assertTrue(h.peerId() == -1 ? h.opcode() == Opcode.DATA_V1 : h.peerId() <= 0xFFFFFF, h.toString());
            });
        }
    }

    @FuzzTest
    void controlPacket(byte[] data) {
        parse("ControlPacket.decode", () -> ControlPacket.decode(data)).ifPresent(p -> {
            assertTrue(p.acks().size() <= ControlPacket.MAX_ACKS, p.toString());
            // The plain layout is canonical: what parsed encodes back to the same bytes.
            assertArrayEquals(data, p.encode());
        });
    }

    @FuzzTest
    void tlsAuthUnwrap(byte[] data) {
        unwrapTarget(data, new TlsAuthWrap(SERVER_KEY, TIME), new TlsAuthWrap(SERVER_KEY, TIME), new TlsAuthWrap(CLIENT_KEY, TIME),
                TlsAuthWrap.MIN_WIRE_LENGTH - TlsAuthWrap.HMAC_LENGTH - 8);
    }

    @FuzzTest
    void tlsCryptUnwrap(byte[] data) {
        unwrapTarget(data, new TlsCryptWrap(SERVER_KEY, TIME), new TlsCryptWrap(SERVER_KEY, TIME), new TlsCryptWrap(CLIENT_KEY, TIME),
                TlsCryptWrap.MIN_WIRE_LENGTH - TlsCryptWrap.TAG_LENGTH - 8);
    }

    /**
     * The input as wire bytes: only a WireException. The input as a plain packet wrapped by the client: unwraps to
     * exactly the input; with any one bit flipped it is rejected (every byte is authenticated).
     */
    private static void unwrapTarget(byte[] data, ControlWrap server, ControlWrap freshServer, ControlWrap client, int minPlain) {
        parse(server.name() + " unwrap", () -> server.unwrap(data));
        if (data.length < minPlain) {
            return;
        }
        byte[] wire = client.wrap(data);
        byte[] tampered = wire.clone();
        int bit = Math.floorMod(Arrays.hashCode(data), wire.length * 8);
        tampered[bit / 8] ^= (byte) (1 << (bit % 8));
        assertEquals(Optional.empty(), parse(server.name() + " unwrap (tampered)", () -> freshServer.unwrap(tampered)));
        byte[] plain = parse(server.name() + " unwrap (client-wrapped)", () -> freshServer.unwrap(wire))
                .orElseThrow(() -> new AssertionError(server.name() + " rejected a packet the client wrapped"));
        assertArrayEquals(data, plain);
        // The same packet again is a replay.
        assertEquals(Optional.empty(), parse(server.name() + " unwrap (replay)", () -> freshServer.unwrap(wire)));
    }

    @FuzzTest
    void keyMethod2(byte[] data) {
        parse("KeyMethod2.decodeClient", () -> KeyMethod2.decodeClient(data)).ifPresent(m -> {
            assertEquals(KeyMethod2.PRE_MASTER_LENGTH, m.preMaster().length);
            assertEquals(KeyMethod2.RANDOM_LENGTH, m.random1().length);
            assertEquals(KeyMethod2.RANDOM_LENGTH, m.random2().length);
            assertTrue(m.options().getBytes(StandardCharsets.UTF_8).length < KeyMethod2.MAX_OPTIONS * 3, "options bounded");
            assertTrue(m.username().length() < KeyMethod2.MAX_USER_PASS && m.password().length() < KeyMethod2.MAX_USER_PASS);
            assertTrue(m.peerInfo().length() < KeyMethod2.MAX_PEER_INFO);
            // What a client sends flows on into the string parsers.
            optionsString(m.options().getBytes(StandardCharsets.UTF_8));
            peerInfo(m.peerInfo().getBytes(StandardCharsets.UTF_8));
        });
    }

    @FuzzTest
    void optionsString(byte[] data) {
        String options = new String(data, StandardCharsets.UTF_8);
        OptionsString.cipher(options).ifPresent(c -> assertTrue(!c.contains(","), c));
        OptionsString.wantsCompression(options);
        String mirrored = OptionsString.mirror(options);
        assertTrue(!mirrored.contains("tls-client"), mirrored);
    }

    @FuzzTest
    void peerInfo(byte[] data) {
        PeerInfo info = PeerInfo.parse(new String(data, StandardCharsets.UTF_8));
        assertTrue(info.values().size() <= PeerInfo.MAX_LINES, "peer-info keeps at most " + PeerInfo.MAX_LINES + " keys");
        info.protoFlags();
        info.ncp();
        info.hasProto(PeerInfo.PROTO_TLS_KEY_EXPORT);
        info.ciphers().forEach(c -> assertTrue(!c.contains(":"), c));
    }
}
