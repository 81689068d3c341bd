package io.p2sgw.dataplane.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.p2sgw.dataplane.api.TunnelType;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolPlanTest {
    @Test
    void openVpnAloneUsesTheWholePoolAndTheGatewayKeepsTheFirstAddress() {
        PoolPlan p = PoolPlan.of(List.of("172.16.201.0/24"), Set.of(TunnelType.OPENVPN), 1, 0);
        assertEquals("172.16.201.1", Ipv4.format(p.gatewayAddress()));
        assertEquals(List.of(Ipv4Prefix.parse("172.16.201.0/24")), p.sliceOf(TunnelType.OPENVPN));
        assertEquals(24, p.prefixLengthOf(TunnelType.OPENVPN));
    }

    @Test
    void ikev2AndOpenVpnShareThePoolWithoutSstp() {
        PoolPlan p = PoolPlan.of(List.of("172.16.201.0/24"), Set.of(TunnelType.OPENVPN, TunnelType.IKEV2), 1, 0);
        assertEquals(p.sliceOf(TunnelType.OPENVPN), p.sliceOf(TunnelType.IKEV2));
        assertEquals("172.16.201.0/24", p.sliceOf(TunnelType.IKEV2).getFirst().toString());
    }

    @Test
    void sstpWithAnotherTypeSplitsThePoolEqually() {
        // azure-p2s.md §2.1: IKEv2+SSTP with a /24 gives each protocol a /25.
        PoolPlan p = PoolPlan.of(List.of("172.16.201.0/24"), Set.of(TunnelType.IKEV2, TunnelType.SSTP), 1, 0);
        assertEquals("172.16.201.0/25", p.sliceOf(TunnelType.IKEV2).getFirst().toString());
        assertEquals("172.16.201.128/25", p.sliceOf(TunnelType.SSTP).getFirst().toString());
        assertEquals(25, p.prefixLengthOf(TunnelType.SSTP));
    }

    @Test
    void sstpAloneIsNotSplit() {
        PoolPlan p = PoolPlan.of(List.of("172.16.201.0/24"), Set.of(TunnelType.SSTP), 1, 0);
        assertEquals("172.16.201.0/24", p.sliceOf(TunnelType.SSTP).getFirst().toString());
    }

    /** Issue 12: an active-active gateway with one instance (there is no second yet) is served whole. */
    @Test
    void oneInstanceServesTheWholePool() {
        PoolPlan p = PoolPlan.of(List.of("172.16.201.0/24"), Set.of(TunnelType.OPENVPN), 1, 0);
        assertEquals(List.of(Ipv4Prefix.parse("172.16.201.0/24")), p.instancePrefixes());
        assertEquals(List.of(Ipv4Prefix.parse("172.16.201.0/24")), p.sliceOf(TunnelType.OPENVPN));
        assertThrows(IllegalArgumentException.class, () -> PoolPlan.of(List.of("172.16.201.0/24"), Set.of(TunnelType.OPENVPN), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> PoolPlan.of(List.of("172.16.201.0/24"), Set.of(TunnelType.OPENVPN), 3, 0));
    }

    @Test
    void activeActiveGivesEachInstanceHalfAndItsOwnGatewayAddress() {
        PoolPlan a = PoolPlan.of(List.of("172.16.201.0/24"), Set.of(TunnelType.OPENVPN), 2, 0);
        PoolPlan b = PoolPlan.of(List.of("172.16.201.0/24"), Set.of(TunnelType.OPENVPN), 2, 1);
        assertEquals("172.16.201.0/25", a.sliceOf(TunnelType.OPENVPN).getFirst().toString());
        assertEquals("172.16.201.128/25", b.sliceOf(TunnelType.OPENVPN).getFirst().toString());
        assertEquals("172.16.201.1", Ipv4.format(a.gatewayAddress()));
        assertEquals("172.16.201.129", Ipv4.format(b.gatewayAddress()));
    }

    @Test
    void activeActiveWithSstpSplitsTwice() {
        PoolPlan b = PoolPlan.of(List.of("172.16.201.0/24"), Set.of(TunnelType.OPENVPN, TunnelType.SSTP), 2, 1);
        assertEquals("172.16.201.128/26", b.sliceOf(TunnelType.OPENVPN).getFirst().toString());
        assertEquals("172.16.201.192/26", b.sliceOf(TunnelType.SSTP).getFirst().toString());
    }

    @Test
    void severalPrefixesAreEachSplit() {
        PoolPlan p = PoolPlan.of(List.of("172.16.201.0/24", "172.16.202.0/24"), Set.of(TunnelType.OPENVPN, TunnelType.SSTP),
                1, 0);
        assertEquals(List.of(Ipv4Prefix.parse("172.16.201.128/25"), Ipv4Prefix.parse("172.16.202.128/25")),
                p.sliceOf(TunnelType.SSTP));
    }

    @Test
    void rejectsEmptyOrTinyOrMalformedPools() {
        assertThrows(IllegalArgumentException.class, () -> PoolPlan.of(List.of(), Set.of(TunnelType.OPENVPN), 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PoolPlan.of(List.of("172.16.201.0/31"), Set.of(TunnelType.OPENVPN), 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PoolPlan.of(List.of("172.16.201.1/24"), Set.of(TunnelType.OPENVPN), 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PoolPlan.of(List.of("172.16.300.0/24"), Set.of(TunnelType.OPENVPN), 1, 0));
    }
}
