package io.p2sgw.dataplane.preauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.dataplane.spi.PreAuthBudget.Refusal;
import io.p2sgw.dataplane.spi.PreAuthBudget.Ticket;
import io.p2sgw.dataplane.spi.PreAuthBudget.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The budget on a fake clock: deadline, caps per source and in total, release on admission, counters, log bound. */
class BoundedPreAuthBudgetTest {
    private long now = 5_000_000_000L;
    private final List<String> lines = new ArrayList<>();
    private final BoundedPreAuthBudget budget = new BoundedPreAuthBudget(new PreAuthLimits(Duration.ofSeconds(10), 3, 5),
            () -> now, lines::add);

    private static InetSocketAddress addr(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private void advance(Duration d) {
        now += d.toNanos();
    }

    @Test
    void aTicketStillHeldAtItsDeadlineExpiresOnceAndIsCountedAsTimeout() throws Exception {
        AtomicInteger expired = new AtomicInteger();
        Optional<Ticket> t = budget.enter(Transport.TCP, addr("192.0.2.1", 40000), expired::incrementAndGet);
        assertTrue(t.isPresent());
        advance(Duration.ofSeconds(9));
        budget.tick();
        assertEquals(0, expired.get(), "not before the deadline");
        advance(Duration.ofSeconds(1));
        budget.tick();
        assertEquals(1, expired.get(), "at the deadline");
        budget.tick();
        advance(Duration.ofSeconds(60));
        budget.tick();
        assertEquals(1, expired.get(), "once");
        assertEquals(1, budget.refusals(Transport.TCP, Refusal.TIMEOUT));
        assertEquals(0, budget.held(), "the place is free again");
        t.get().release(); // the connection's end releases again: harmless
        assertEquals(0, budget.held());
    }

    @Test
    void aReleasedTicketNeverExpires() throws Exception {
        AtomicInteger expired = new AtomicInteger();
        budget.enter(Transport.UDP, addr("192.0.2.1", 1), expired::incrementAndGet).orElseThrow().release();
        advance(Duration.ofMinutes(5));
        budget.tick();
        assertEquals(0, expired.get());
        assertEquals(0, budget.refusals(Transport.UDP, Refusal.TIMEOUT));
    }

    @Test
    void connectionsThatComeAndGoLeaveNothingBehind() throws Exception {
        for (int i = 0; i < 100_000; i++) {
            budget.enter(Transport.TCP, addr("192.0.2.1", 1 + i % 60000), () -> { }).orElseThrow().release();
        }
        assertEquals(0, budget.held());
        assertEquals(0, budget.awaitingDeadline(), "a released ticket does not wait for its deadline in memory");
    }

    @Test
    void admissionReleasesTheTicketOfTheClientsAddressAndPort() throws Exception {
        AtomicInteger expired = new AtomicInteger();
        budget.enter(Transport.TCP, addr("192.0.2.1", 40000), expired::incrementAndGet).orElseThrow();
        budget.enter(Transport.TCP, addr("192.0.2.1", 40001), expired::incrementAndGet).orElseThrow();
        budget.admitted(addr("192.0.2.1", 40000));
        assertEquals(1, budget.held());
        assertEquals(1, budget.heldFrom(InetAddress.getByName("192.0.2.1")));
        advance(Duration.ofSeconds(10));
        budget.tick();
        assertEquals(1, expired.get(), "only the connection that was not admitted meets the deadline");
    }

    @Test
    void perSourceCapRefusesTheNextAndCountsIt() throws Exception {
        for (int port = 1; port <= 3; port++) {
            assertTrue(budget.enter(Transport.TCP, addr("198.51.100.7", port), () -> { }).isPresent());
        }
        assertTrue(budget.enter(Transport.TCP, addr("198.51.100.7", 4), () -> { }).isEmpty(), "a fourth from one address");
        assertTrue(budget.enter(Transport.UDP, addr("198.51.100.7", 5), () -> { }).isEmpty(), "the cap spans transports");
        assertEquals(1, budget.refusals(Transport.TCP, Refusal.PER_SOURCE_CAP));
        assertEquals(1, budget.refusals(Transport.UDP, Refusal.PER_SOURCE_CAP));
        assertTrue(budget.enter(Transport.TCP, addr("198.51.100.8", 1), () -> { }).isPresent(), "another address still gets in");
    }

    @Test
    void totalCapRefusesEveryAddressOnceFullAndFreesWithRelease() throws Exception {
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            tickets.add(budget.enter(Transport.TCP, addr("203.0.113." + i, 1000), () -> { }).orElseThrow());
        }
        assertTrue(budget.enter(Transport.TCP, addr("203.0.113.99", 1000), () -> { }).isEmpty());
        assertEquals(1, budget.refusals(Transport.TCP, Refusal.TOTAL_CAP));
        tickets.getFirst().release();
        assertTrue(budget.enter(Transport.TCP, addr("203.0.113.99", 1000), () -> { }).isPresent(), "a released place is free");
    }

    @Test
    void refusalsReportedByProtocolsAreCountedByReasonAndSummarisedPeriodically() throws Exception {
        InetSocketAddress from = addr("192.0.2.9", 1194);
        for (int i = 0; i < 40_000; i++) {
            budget.refused(Transport.UDP, from, Refusal.JUNK);
        }
        for (int i = 0; i < 12; i++) {
            budget.refused(Transport.UDP, from, Refusal.BAD_HMAC);
        }
        Ticket t = budget.enter(Transport.TCP, from, () -> { }).orElseThrow();
        t.refuse(Refusal.BAD_HMAC);
        t.refuse(Refusal.JUNK); // refused already: not counted twice
        assertEquals(40_000, budget.refusals(Transport.UDP, Refusal.JUNK));
        assertEquals(12, budget.refusals(Transport.UDP, Refusal.BAD_HMAC));
        assertEquals(1, budget.refusals(Transport.TCP, Refusal.BAD_HMAC));
        assertEquals(0, budget.refusals(Transport.TCP, Refusal.JUNK));
        assertEquals(0, budget.held());

        budget.tick();
        assertEquals(List.of(), lines, "no line per datagram");
        advance(BoundedPreAuthBudget.LOG_PERIOD);
        budget.tick();
        assertEquals(List.of("dropped before authentication in the last 10 s: TCP: bad_hmac 1; UDP: junk 40000, bad_hmac 12"), lines);
        advance(BoundedPreAuthBudget.LOG_PERIOD);
        budget.tick();
        assertEquals(1, lines.size(), "nothing new, no line");
    }

    @Test
    void aFloodOfCapRefusalsLogsAFewLinesAndASummary() throws Exception {
        for (int port = 1; port <= 2003; port++) {
            budget.enter(Transport.TCP, addr("198.51.100.7", port), () -> { });
        }
        assertEquals(2000, budget.refusals(Transport.TCP, Refusal.PER_SOURCE_CAP));
        assertEquals(BoundedPreAuthBudget.LOG_LINES_PER_PERIOD, lines.size());
        advance(BoundedPreAuthBudget.LOG_PERIOD);
        budget.tick();
        // The summary of the period, then the three held connections meeting their deadline (10 s) in the new one.
        assertEquals(BoundedPreAuthBudget.LOG_LINES_PER_PERIOD + 4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(10).startsWith("suppressed 1990 similar lines"), lines.get(10));
        assertTrue(lines.getLast().endsWith("not authenticated within 10 s; closed"), lines.getLast());
    }
}
