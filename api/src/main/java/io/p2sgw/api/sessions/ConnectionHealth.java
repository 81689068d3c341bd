package io.p2sgw.api.sessions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.dataplane.api.SessionInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

/** Renders live sessions as {@code VpnClientConnectionHealthDetailListResult} (azure-p2s.md §6.1). */
public final class ConnectionHealth {
    /** The spec's example has no zone suffix: {@code 2019-05-02T22:26:22}, UTC. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private ConnectionHealth() {}

    public static ObjectNode render(Collection<SessionInfo> sessions, Instant now) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode value = root.putArray("value");
        for (SessionInfo s : sessions) {
            ObjectNode d = value.addObject();
            d.put("vpnConnectionId", s.vpnConnectionId());
            d.put("vpnConnectionDuration", Math.max(0, Duration.between(s.startTime(), now).toSeconds()));
            d.put("vpnConnectionTime", TIME.format(s.startTime()));
            d.put("publicIpAddress", s.publicAddress().getAddress().getHostAddress() + ":" + s.publicAddress().getPort());
            d.put("privateIpAddress", s.privateAddress());
            d.put("vpnUserName", s.userName());
            d.put("ingressBytesTransferred", s.ingressBytes());
            d.put("egressBytesTransferred", s.egressBytes());
            d.put("ingressPacketsTransferred", s.ingressPackets());
            d.put("egressPacketsTransferred", s.egressPackets());
            // Beyond Azure: the certificate thumbprint, to revoke a session's certificate in one step.
            d.put("thumbprint", s.thumbprint());
        }
        return root;
    }
}
