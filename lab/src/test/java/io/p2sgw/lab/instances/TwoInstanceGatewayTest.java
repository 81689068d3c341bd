package io.p2sgw.lab.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class TwoInstanceGatewayTest {
    private static final String PROFILE = """
            client
            remote 198.51.100.4 443
            remote 198.51.100.4 443
            remote 198.51.100.5 443
            verify-x509-name vpn.p2sgw.lab name
            proto tcp
            """;

    @Test
    void theChosenInstanceComesFirstAndEachRemoteOnce() {
        assertEquals("""
                client
                remote 198.51.100.5 443
                remote 198.51.100.4 443
                verify-x509-name vpn.p2sgw.lab name
                proto tcp
                """, TwoInstanceGateway.preferRemote(PROFILE, "198.51.100.5"));
        assertEquals("""
                client
                remote 198.51.100.4 443
                remote 198.51.100.5 443
                verify-x509-name vpn.p2sgw.lab name
                proto tcp
                """, TwoInstanceGateway.preferRemote(PROFILE, "198.51.100.4"));
    }

    @Test
    void aProfileWithoutRemotesIsLeftAlone() {
        assertEquals("client\nproto tcp\n", TwoInstanceGateway.preferRemote("client\nproto tcp\n", "198.51.100.5"));
    }

    @Test
    void halvesFollowThePoolPlan() {
        assertTrue(TwoInstanceGateway.inHalf("172.16.201.2", 0));
        assertTrue(TwoInstanceGateway.inHalf("172.16.201.127", 0));
        assertFalse(TwoInstanceGateway.inHalf("172.16.201.128", 0));
        assertTrue(TwoInstanceGateway.inHalf("172.16.201.130", 1));
        assertFalse(TwoInstanceGateway.inHalf("172.16.202.130", 1));
        assertFalse(TwoInstanceGateway.inHalf("not-an-address", 1));
    }

    @Test
    void sstpSlicesAreTheUpperQuarterOfEachHalf() {
        assertFalse(TwoInstanceGateway.inSstpSlice("172.16.201.63", 0));
        assertTrue(TwoInstanceGateway.inSstpSlice("172.16.201.65", 0));
        assertFalse(TwoInstanceGateway.inSstpSlice("172.16.201.130", 0));
        assertFalse(TwoInstanceGateway.inSstpSlice("172.16.201.130", 1));
        assertTrue(TwoInstanceGateway.inSstpSlice("172.16.201.193", 1));
        assertTrue(TwoInstanceGateway.inSstpSlice("172.16.201.254", 1));
    }

    @Test
    void aUrlIsMovedToTheOtherInstanceWithItsPathAndQuery() {
        assertEquals(URI.create("https://198.51.100.5:8443/subscriptions/x/operationResults/1?api-version=2024-05-01"),
                TwoInstanceGateway.onInstance(
                        URI.create("https://198.51.100.4:8443/subscriptions/x/operationResults/1?api-version=2024-05-01"), 1));
    }
}
