package io.p2sgw.dataplane.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.p2sgw.dataplane.api.ConnectionLimits;
import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.api.TunnelTypeStatus;
import io.p2sgw.dataplane.spi.GatewayCore;
import io.p2sgw.dataplane.spi.StreamProtocol;
import io.p2sgw.dataplane.spi.StreamReceiver;
import io.p2sgw.dataplane.spi.StreamWriter;
import io.p2sgw.dataplane.transport.StreamAcceptor;
import io.p2sgw.dataplane.tun.TunDevice;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the status kept a transport error after the listener recovered, and said "running" while an enabled
 * tunnel type had no server.
 */
class GatewayDataPlaneStatusTest {
    /** A stream protocol that never matches: only its tunnel type matters here. */
    private static final StreamProtocol OPENVPN_TCP = new StreamProtocol() {
        @Override public String name() { return "OpenVPN"; }
        @Override public TunnelType tunnelType() { return TunnelType.OPENVPN; }
        @Override public Probe probe(ByteBuffer firstBytes) { return Probe.NO_MATCH; }
        @Override public StreamReceiver open(InetSocketAddress remote, StreamWriter writer, GatewayCore core) {
            throw new UnsupportedOperationException();
        }
    };

    private GatewayDataPlane dp;

    /** A TUN that never has a packet: with a device attached the core leaves the TUN part of its status alone. */
    private static final class IdleTun implements TunDevice {
        @Override public String name() { return "idle0"; }
        @Override public int read(ByteBuffer buffer, int timeoutMillis) throws InterruptedIOException {
            try {
                Thread.sleep(Math.max(1, timeoutMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            return 0;
        }
        @Override public void write(ByteBuffer packet) {}
        @Override public void close() {}
    }

    @BeforeAll
    static void certs() throws Exception {
        GatewayDataPlaneTest.certs();
    }

    @AfterEach
    void stop() {
        if (dp != null) {
            dp.close();
        }
    }

    private static GatewayDataPlane dataPlane(int tcpPort) {
        return new GatewayDataPlane(new DataPlaneConfig(InetAddress.getLoopbackAddress(), tcpPort, "p2sgwtest0", 1500, false,
                List.of(OPENVPN_TCP), List.of(), StreamAcceptor.ProbeLimits.DEFAULT, new SimpleMeterRegistry(), Clock.systemUTC()));
    }

    private TunnelTypeStatus of(TunnelType type) {
        return dp.tunnelTypes().stream().filter(t -> t.tunnelType() == type).findFirst().orElseThrow();
    }

    @Test
    void aListenerErrorLeavesTheStatusOnceTheListenerIsUp() throws Exception {
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
            dp = dataPlane(port);
            dp.useExternalTun(new IdleTun());
            dp.apply(GatewayDataPlaneTest.basic(1, Set.of()));
            assertTrue(dp.status().startsWith("error: cannot listen on TCP "), dp.status());
        }
        List<TunnelTypeStatus> whileTaken = dp.tunnelTypes();
        // The port is free again; the next snapshot starts the listener.
        dp.apply(GatewayDataPlaneTest.basic(2, Set.of("00".repeat(20))));
        assertEquals("running: external TUN idle0", dp.status());
        assertEquals(new TunnelTypeStatus(TunnelType.OPENVPN, true, "served on TCP " + port), of(TunnelType.OPENVPN));
        assertEquals(1, whileTaken.size());
        assertFalse(whileTaken.getFirst().served());
        assertTrue(whileTaken.getFirst().detail().startsWith("error: cannot listen on TCP"), whileTaken.getFirst().detail());
    }

    @Test
    void aRejectedSnapshotStopsBeingReportedOnceAGoodOneArrives() throws Exception {
        dp = dataPlane(0);
        dp.useExternalTun(new IdleTun());
        dp.apply(GatewayDataPlaneTest.basic(1, Set.of()));
        String running = dp.status();
        assertEquals("running: external TUN idle0", running);
        dp.apply(GatewayDataPlaneTest.snapshot(2, "172.16.201.0/31", Set.of(TunnelType.OPENVPN), List.of(GatewayDataPlaneTest.root),
                Set.of(), new ConnectionLimits(128, 500)));
        assertTrue(dp.status().startsWith("error: address pool [172.16.201.0/31]"), dp.status());
        dp.apply(GatewayDataPlaneTest.basic(3, Set.of()));
        assertEquals(running, dp.status());
    }

    @Test
    void enabledTunnelTypesWithoutAServerAreNamedInTheStatus() throws Exception {
        dp = dataPlane(0);
        dp.apply(GatewayDataPlaneTest.snapshot(1, "172.16.201.0/24", Set.of(TunnelType.OPENVPN, TunnelType.IKEV2, TunnelType.SSTP),
                List.of(GatewayDataPlaneTest.root), Set.of(), new ConnectionLimits(128, 500)));
        assertEquals("running without TUN (manageTun=false): client packets are not forwarded; not served yet: IkeV2, SSTP",
                dp.status());
        assertTrue(of(TunnelType.OPENVPN).served());
        assertFalse(of(TunnelType.IKEV2).served());
        assertEquals("not served yet: IkeV2 is enabled in vpnClientProtocols, but this p2sgw has no IkeV2 server yet:"
                + " IkeV2 clients cannot connect", of(TunnelType.IKEV2).detail());
        assertFalse(of(TunnelType.SSTP).served());
        assertEquals(List.of(TunnelType.OPENVPN, TunnelType.IKEV2, TunnelType.SSTP),
                dp.tunnelTypes().stream().map(TunnelTypeStatus::tunnelType).toList());
    }

    @Test
    void aTypeWithoutAServerIsLoggedOnceWhenEnabled() {
        TunnelTypeServers servers = new TunnelTypeServers(List.of(OPENVPN_TCP), List.of());
        Set<TunnelType> openVpn = Set.of(TunnelType.OPENVPN);
        Set<TunnelType> all = Set.of(TunnelType.OPENVPN, TunnelType.IKEV2, TunnelType.SSTP);
        assertEquals(List.of(), servers.newlyEnabledNotServed(Set.of(), openVpn));
        assertEquals(List.of(TunnelType.IKEV2, TunnelType.SSTP), servers.newlyEnabledNotServed(openVpn, all));
        // Still enabled in the next snapshot: not logged again.
        assertEquals(List.of(), servers.newlyEnabledNotServed(all, all));
        // Disabled and enabled again: logged again.
        assertEquals(List.of(TunnelType.SSTP), servers.newlyEnabledNotServed(Set.of(TunnelType.OPENVPN, TunnelType.IKEV2), all));
    }
}
