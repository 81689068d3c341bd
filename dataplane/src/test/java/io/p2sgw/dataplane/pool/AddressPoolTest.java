package io.p2sgw.dataplane.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
    private static final long GW = Ipv4.parse("172.16.201.1");

    private static AddressPool pool(String cidr) {
        return new AddressPool(List.of(Ipv4Prefix.parse(cidr)), Set.of(GW));
    }

    @Test
    void leasesFromTheBottomSkippingNetworkAndGatewayAddress() {
        AddressPool p = pool("172.16.201.0/24");
        assertEquals("172.16.201.2", Ipv4.format(p.lease("aa").orElseThrow()));
        assertEquals("172.16.201.3", Ipv4.format(p.lease("bb").orElseThrow()));
        assertEquals(253, p.capacity());
    }

    @Test
    void everyLeaseIsDistinctUntilExhaustion() {
        AddressPool p = pool("172.16.201.0/29"); // .0 network, .1 gateway, .7 broadcast: .2-.6 are leasable
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            assertTrue(seen.add(p.lease("tp" + i).orElseThrow()));
        }
        assertEquals(Optional.empty(), p.lease("tp5"));
        assertFalse(seen.contains(Ipv4.parse("172.16.201.7")));
        assertEquals(5, p.leasedCount());
    }

    @Test
    void sameCertificateGetsItsPreviousAddressBackWhileFree() {
        AddressPool p = pool("172.16.201.0/24");
        long a = p.lease("alice").orElseThrow();
        long b = p.lease("bob").orElseThrow();
        p.release(a);
        p.release(b);
        long c = p.lease("carol").orElseThrow();
        assertNotEquals(a, c, "a fresh client avoids addresses others remember");
        assertNotEquals(b, c);
        assertEquals(b, p.lease("bob").orElseThrow());
        assertEquals(a, p.lease("alice").orElseThrow());
    }

    @Test
    void previousAddressTakenMeansAnotherFreeOne() {
        AddressPool p = pool("172.16.201.0/29");
        long a = p.lease("alice").orElseThrow();
        p.release(a);
        long[] others = new long[5];
        for (int i = 0; i < 5; i++) {
            others[i] = p.lease("x" + i).orElseThrow(); // the last one has to take alice's remembered address
        }
        assertEquals(a, others[4]);
        assertEquals(Optional.empty(), p.lease("alice"), "pool full");
        p.release(others[0]);
        assertEquals(others[0], p.lease("alice").orElseThrow());
    }

    @Test
    void claimCarriesALiveAddressOver() {
        AddressPool p = pool("172.16.201.0/24");
        long addr = Ipv4.parse("172.16.201.50");
        assertTrue(p.claim(addr, "alice"));
        assertFalse(p.claim(addr, "bob"));
        assertFalse(p.claim(GW, "bob"));
        assertFalse(p.claim(Ipv4.parse("10.0.0.5"), "bob"));
    }
}
