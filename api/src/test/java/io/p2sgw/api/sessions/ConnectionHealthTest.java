package io.p2sgw.api.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.p2sgw.dataplane.api.SessionInfo;
import io.p2sgw.dataplane.api.TunnelType;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code getVpnClientConnectionHealth} (azure-p2s.md §6.1): each session's protocol shows in its id. */
class ConnectionHealthTest {
    static final Instant START = Instant.parse("2026-12-04T06:00:00Z");

    static SessionInfo session(TunnelType type, String id, String user, String address) {
        return new SessionInfo(id, type, user, "ab".repeat(20), new InetSocketAddress("198.51.100.10", 4500), address, START,
                1000, 2000, 10, 20);
    }

    @Test
    void everyProtocolsSessionsShowTheirProtocolInTheId() {
        List<SessionInfo> sessions = List.of(
                session(TunnelType.IKEV2, "IKEv2_1e1cfe59-5c7c-4315-a876-b11fbfdfeed4", "alice", "172.16.201.2"),
                session(TunnelType.SSTP, "SSTP_2e1cfe59-5c7c-4315-a876-b11fbfdfeed4", "bob", "172.16.201.130"),
                session(TunnelType.OPENVPN, "OpenVPN_3e1cfe59-5c7c-4315-a876-b11fbfdfeed4", "carol", "172.16.201.3"));
        JsonNode value = ConnectionHealth.render(sessions, START.plusSeconds(900)).get("value");
        List<String> ids = new ArrayList<>();
        value.forEach(d -> ids.add(d.get("vpnConnectionId").asText()));
        assertEquals(List.of("IKEv2_1e1cfe59-5c7c-4315-a876-b11fbfdfeed4", "SSTP_2e1cfe59-5c7c-4315-a876-b11fbfdfeed4",
                "OpenVPN_3e1cfe59-5c7c-4315-a876-b11fbfdfeed4"), ids);
        JsonNode first = value.get(0);
        assertEquals(900, first.get("vpnConnectionDuration").asLong());
        assertEquals("2026-12-04T06:00:00", first.get("vpnConnectionTime").asText());
        assertEquals("198.51.100.10:4500", first.get("publicIpAddress").asText());
        assertEquals("172.16.201.2", first.get("privateIpAddress").asText());
        assertEquals("alice", first.get("vpnUserName").asText());
        assertEquals(1000, first.get("ingressBytesTransferred").asLong());
        assertEquals(2000, first.get("egressBytesTransferred").asLong());
    }

    /** The tunnel type makes the prefix: a session cannot be reported under another protocol's name. */
    @Test
    void anIdThatNamesAnotherProtocolIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> session(TunnelType.SSTP, "IKEv2_1e1cfe59-5c7c-4315-a876-b11fbfdfeed4", "bob", "172.16.201.130"));
        assertThrows(IllegalArgumentException.class,
                () -> session(TunnelType.IKEV2, "IkeV2_1e1cfe59-5c7c-4315-a876-b11fbfdfeed4", "bob", "172.16.201.2"));
    }
}
