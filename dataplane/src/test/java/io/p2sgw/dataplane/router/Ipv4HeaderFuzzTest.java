package io.p2sgw.dataplane.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.p2sgw.dataplane.session.SessionRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer fuzz target for the data plane's IPv4 header parser (STYLE.md §7.4 layer 4), run as a regression test over
 * {@code src/test/resources/io/p2sgw/dataplane/router/Ipv4HeaderFuzzTestInputs/} in a normal {@code mvn test}.
 * {@link Ipv4Header} declares no exception: any throwable fails the target. The router on top of it drops every packet
 * no session owns, counting exactly one reason, and never throws.
 */
class Ipv4HeaderFuzzTest {
    @FuzzTest
    void ipv4Header(byte[] data) {
        // Also at an offset, as the router sees a packet inside a larger buffer.
        for (int off = 0; off <= Math.min(2, data.length); off++) {
            ByteBuffer packet = ByteBuffer.wrap(data, off, data.length - off).slice();
            int position = packet.position();
            int limit = packet.limit();
            boolean v4 = Ipv4Header.isIpv4(packet);
            assertEquals(v4, packet.remaining() >= Ipv4Header.MIN_LENGTH && (packet.get(0) & 0xF0) == 0x40);
            if (v4) {
                long src = Ipv4Header.source(packet);
                long dst = Ipv4Header.destination(packet);
                assertTrue(src >= 0 && src <= 0xFFFFFFFFL && dst >= 0 && dst <= 0xFFFFFFFFL);
                assertEquals(Integer.toUnsignedLong(packet.getInt(12)), src);
            }
            // Absolute reads only: the buffer is untouched for the next stage.
            assertEquals(position, packet.position());
            assertEquals(limit, packet.limit());
        }
    }

    @FuzzTest
    void routerDropsWhatNoSessionOwns(byte[] data) {
        List<DropReason> drops = new ArrayList<>();
        PacketRouter router = new PacketRouter(new SessionRegistry(), drops::add);
        router.routeFromTun(ByteBuffer.wrap(data));
        assertEquals(1, drops.size(), drops::toString);
        assertEquals(Ipv4Header.isIpv4(ByteBuffer.wrap(data)) ? DropReason.NO_SESSION : DropReason.NOT_IPV4, drops.getFirst());
    }
}
