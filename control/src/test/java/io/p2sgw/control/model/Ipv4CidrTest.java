package io.p2sgw.control.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class Ipv4CidrTest {
    @Test
    void parsesStrictly() {
        assertEquals("10.1.0.0/16", Ipv4Cidr.tryParse("10.1.0.0/16").orElseThrow().toString());
        assertTrue(Ipv4Cidr.tryParse("10.1.0.1/16").isEmpty(), "host bits");
        assertTrue(Ipv4Cidr.tryParse("256.1.0.0/16").isEmpty());
        assertTrue(Ipv4Cidr.tryParse("10.1.0.0/33").isEmpty());
        assertTrue(Ipv4Cidr.tryParse("10.1.0.0").isEmpty());
        assertTrue(Ipv4Cidr.tryParse("0.0.0.0/0").isPresent());
        assertTrue(Ipv4Cidr.isIpv4Address("10.1.0.4"));
        assertFalse(Ipv4Cidr.isIpv4Address("10.1.0"));
    }

    @Test
    void overlapContainmentAndPrivacy() {
        Ipv4Cidr vnet = Ipv4Cidr.parse("10.1.0.0/16", "t");
        assertTrue(vnet.overlaps(Ipv4Cidr.parse("10.1.1.0/26", "t")));
        assertFalse(vnet.overlaps(Ipv4Cidr.parse("10.2.0.0/16", "t")));
        assertTrue(vnet.contains(Ipv4Cidr.parse("10.1.255.0/27", "t")));
        assertTrue(Ipv4Cidr.parse("172.16.201.0/24", "t").isPrivate());
        assertTrue(Ipv4Cidr.parse("192.168.0.0/16", "t").isPrivate());
        assertFalse(Ipv4Cidr.parse("172.32.0.0/24", "t").isPrivate());
        assertFalse(Ipv4Cidr.parse("255.255.255.0/24", "t").isPrivate());
        assertEquals(4294967295L, Ipv4Cidr.parse("255.255.255.0/24", "t").last());
    }
}
