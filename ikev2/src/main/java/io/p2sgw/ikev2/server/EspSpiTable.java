package io.p2sgw.ikev2.server;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Our inbound ESP SPIs and who owns each: the lookup every ESP packet on the NAT-T port makes, so it must not
 * allocate or lock. An SPI is {@code random 16 bits << 16 | slot}: its low half indexes a fixed array, its high half
 * (never zero, so every SPI is at least 65536, above the reserved 1-255 of RFC 4303 §2.1) makes it unguessable and
 * tells a stale SPI from the slot's next owner. Thread-safe.
 */
final class EspSpiTable<T> {
    /** Slots, and so live inbound SPIs at most: two per tunnel during a rekey, one otherwise. */
    static final int CAPACITY = 1 << 16;

    private record Entry<T>(int spi, T owner) {}

    private final AtomicReferenceArray<Entry<T>> slots = new AtomicReferenceArray<>(CAPACITY);
    private final SecureRandom random;

    EspSpiTable(SecureRandom random) {
        this.random = random;
    }

    /** A fresh SPI for {@code owner}; throws when every slot is taken (65536 live CHILD SAs). */
    int allocate(T owner) {
        int start = random.nextInt(CAPACITY);
        for (int i = 0; i < CAPACITY; i++) {
            int slot = (start + i) & (CAPACITY - 1);
            if (slots.get(slot) != null) {
                continue;
            }
            int high = 1 + random.nextInt(0xFFFF);
            int spi = high << 16 | slot;
            if (slots.compareAndSet(slot, null, new Entry<>(spi, owner))) {
                return spi;
            }
        }
        throw new IllegalStateException("no free ESP SPI: " + CAPACITY + " CHILD SAs live");
    }

    /** The owner of {@code spi}, or null. No allocation. */
    T owner(int spi) {
        Entry<T> e = slots.get(spi & (CAPACITY - 1));
        return e != null && e.spi() == spi ? e.owner() : null;
    }

    /** Frees {@code spi} if {@code owner} holds it. */
    void release(int spi, T owner) {
        int slot = spi & (CAPACITY - 1);
        Entry<T> e = slots.get(slot);
        if (e != null && e.spi() == spi && e.owner() == owner) {
            slots.compareAndSet(slot, e, null);
        }
    }
}
