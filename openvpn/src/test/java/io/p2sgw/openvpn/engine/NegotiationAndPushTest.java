package io.p2sgw.openvpn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NegotiationAndPushTest {
    @Test
    void firstOfOurCiphersInIvCiphersWins() {
        assertEquals(Optional.of(DataCipher.AES_256_GCM),
                DataCipher.negotiate(List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"), 2, Optional.empty()));
        assertEquals(Optional.of(DataCipher.AES_128_GCM), DataCipher.negotiate(List.of("CHACHA20-POLY1305", "AES-128-GCM"), 2, Optional.empty()));
        assertEquals(Optional.of(DataCipher.CHACHA20_POLY1305), DataCipher.negotiate(List.of("CHACHA20-POLY1305"), 0, Optional.empty()));
        assertEquals(Optional.empty(), DataCipher.negotiate(List.of("BF-CBC"), 2, Optional.empty()), "IV_CIPHERS is authoritative");
        assertEquals(Optional.of(DataCipher.AES_256_GCM), DataCipher.negotiate(List.of(), 2, Optional.empty()), "IV_NCP=2");
        assertEquals(Optional.of(DataCipher.AES_128_GCM), DataCipher.negotiate(List.of(), 0, Optional.of("AES-128-GCM")), "OCC cipher");
        assertEquals(Optional.empty(), DataCipher.negotiate(List.of(), 0, Optional.of("BF-CBC")));
    }

    @Test
    void cidrToNetworkAndMask() {
        assertEquals(new Cidr("10.1.0.0", 16), Cidr.parse("10.1.2.3/16"));
        assertEquals("255.255.255.0", Cidr.mask(24));
        assertEquals("0.0.0.0", Cidr.mask(0));
        assertEquals("255.255.255.255", Cidr.mask(32));
        assertEquals("172.16.201.0", Cidr.network("172.16.201.77", 24));
    }

    @Test
    void pushReplySplitsWithContinuation() {
        assertEquals(List.of("PUSH_REPLY,a,b"), PushReply.split(List.of("a", "b"), 1024));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add("route 10." + i + ".0.0 255.255.0.0");
        }
        List<String> parts = PushReply.split(many, 1024);
        assertTrue(parts.size() > 1);
        for (int i = 0; i < parts.size(); i++) {
            assertTrue(parts.get(i).length() < 1024, parts.get(i));
            assertTrue(parts.get(i).startsWith("PUSH_REPLY,"));
            assertTrue(parts.get(i).endsWith(i == parts.size() - 1 ? ",push-continuation 1" : ",push-continuation 2"));
        }
        long routes = parts.stream().mapToLong(p -> p.split(",route ").length - 1).sum();
        assertEquals(100, routes);
    }

    @Test
    void keyIdsWrapSevenToOne() {
        assertEquals(1, KeyState.nextKeyId(0));
        assertEquals(7, KeyState.nextKeyId(6));
        assertEquals(1, KeyState.nextKeyId(7));
    }
}
