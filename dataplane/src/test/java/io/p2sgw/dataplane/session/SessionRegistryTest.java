package io.p2sgw.dataplane.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.pool.Ipv4;
import io.p2sgw.dataplane.spi.TunnelEndpoint;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The router's address lookup (copy-on-write index) follows every add and remove. */
class SessionRegistryTest {
    static final TunnelEndpoint NOWHERE = new TunnelEndpoint() {
        @Override
        public void sendToClient(ByteBuffer ipPacket) {}

        @Override
        public void close(String reason) {}
    };
    static final Session.Owner OWNER = new Session.Owner() {
        @Override
        public void forwardFromClient(Session s, ByteBuffer p) {}

        @Override
        public void handleClosedByProtocol(Session.Handle h, String reason) {}

        @Override
        public int tunnelMtu() {
            return 1400;
        }
    };

    static Session session(String id, String address) {
        return new Session(id, TunnelType.OPENVPN, "00".repeat(20), id, List.of(), new InetSocketAddress("198.51.100.10", 40000),
                Ipv4.parse(address), 24, "172.16.201.1", List.of(), List.of(), Instant.now(), NOWHERE, OWNER, TrafficTotals.create());
    }

    @Test
    void ownerOfFindsEachSessionByAddressAndForgetsRemovedOnes() {
        SessionRegistry r = new SessionRegistry();
        assertNull(r.ownerOf(Ipv4.parse("172.16.201.2")));
        List<Session> all = new ArrayList<>();
        // Added out of address order, with the top of the range to catch signed comparisons.
        for (String a : List.of("172.16.201.200", "172.16.201.2", "255.255.255.254", "10.0.0.1", "172.16.201.3")) {
            Session s = session("OpenVPN_" + a, a);
            all.add(s);
            r.add(s);
        }
        for (Session s : all) {
            assertSame(s, r.ownerOf(s.addressValue()), s.address());
        }
        assertNull(r.ownerOf(Ipv4.parse("172.16.201.4")));
        r.remove(all.get(1));
        assertNull(r.ownerOf(Ipv4.parse("172.16.201.2")));
        assertSame(all.get(4), r.ownerOf(Ipv4.parse("172.16.201.3")));
        assertEquals(4, r.all().size());
        // A new session may take the freed address.
        Session again = session("OpenVPN_again", "172.16.201.2");
        r.add(again);
        assertSame(again, r.ownerOf(Ipv4.parse("172.16.201.2")));
    }
}
