package io.p2sgw.common.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-connection control queue of OpenVPN-UDP (first user: OpenVpnConnection.onControlLater): order, one at a time, bound. */
@Timeout(30)
class SerialQueueTest {
    final List<RuntimeException> failures = new CopyOnWriteArrayList<>();

    @Test
    void itemsRunInArrivalOrderOneAtATime() throws Exception {
        List<Integer> seen = new ArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1000);
        SerialQueue<Integer> q = new SerialQueue<>(1000, "test", i -> {
            if (inFlight.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            seen.add(i); // unsynchronized on purpose: one item at a time means one writer at a time
            inFlight.decrementAndGet();
            done.countDown();
        }, failures::add);
        for (int i = 0; i < 1000; i++) {
            assertTrue(q.offer(i));
            if (i % 100 == 0) {
                Thread.sleep(1); // let the queue run dry now and then, so its thread ends and starts again
            }
        }
        done.await();
        assertEquals(0, overlaps.get(), "two items ran at once");
        assertEquals(IntStream.range(0, 1000).boxed().toList(), seen); // the latch orders these reads after the writes
        assertEquals(List.of(), failures);
    }

    @Test
    void whileLimitItemsWaitNewOnesAreRefused() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        SerialQueue<Integer> q = new SerialQueue<>(4, "test", i -> {
            if (i == 0) {
                firstStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ran.add(i);
        }, failures::add);
        assertTrue(q.offer(0));
        firstStarted.await(); // item 0 is running, not waiting
        for (int i = 1; i <= 4; i++) {
            assertTrue(q.offer(i), "item " + i + " fits");
        }
        assertFalse(q.offer(5), "a fifth waiting item is refused");
        assertFalse(q.offer(6));
        release.countDown();
        while (ran.size() < 5) {
            Thread.sleep(5);
        }
        assertEquals(List.of(0, 1, 2, 3, 4), ran);
        assertTrue(q.offer(7), "room again once the queue has drained");
    }

    @Test
    void aFailingItemIsReportedAndTheQueueGoesOn() throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        SerialQueue<Integer> q = new SerialQueue<>(8, "test", i -> {
            if (i == 2) {
                throw new IllegalStateException("item 2 fails");
            }
            ran.add(i);
            done.countDown();
        }, failures::add);
        q.offer(1);
        q.offer(2);
        q.offer(3);
        done.await();
        assertEquals(List.of(1, 3), ran);
        assertEquals(1, failures.size());
        assertEquals("item 2 fails", failures.get(0).getMessage());
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SerialQueue<Integer>(0, "test", i -> { }, failures::add));
    }
}
