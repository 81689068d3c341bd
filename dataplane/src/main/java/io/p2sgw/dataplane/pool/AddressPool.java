package io.p2sgw.dataplane.pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Leases addresses from one tunnel type's slice of the pool (azure-p2s.md §4.5: one address per client,
 * from the bottom of the pool). A client certificate (by thumbprint) gets its previous address back
 * while that address is free. Thread-safe (synchronized: leases are rare next to packets).
 */
public final class AddressPool {
    /**
     * How many thumbprint → address memories are kept: bounded so that a stream of distinct certificates
     * cannot grow memory without limit. Oldest memories are forgotten first.
     */
    public static final int MAX_REMEMBERED_CLIENTS = 65_536;

    private final List<Ipv4Prefix> slices;
    private final Set<Long> reserved;
    private final Set<Long> leased = new HashSet<>();
    private final Map<String, Long> lastAddressOf = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_REMEMBERED_CLIENTS;
        }
    };
    private final Map<Long, String> rememberedOwner = new HashMap<>();

    /**
     * @param slices   the prefixes to lease from
     * @param reserved addresses never leased (the gateway's own)
     */
    public AddressPool(List<Ipv4Prefix> slices, Set<Long> reserved) {
        this.slices = List.copyOf(slices);
        this.reserved = Set.copyOf(reserved);
    }

    /** How many addresses can be leased in total. */
    public synchronized long capacity() {
        long n = 0;
        for (Ipv4Prefix p : slices) {
            for (long a = p.first() + 1; a < p.last(); a++) {
                if (!reserved.contains(a)) {
                    n++;
                }
            }
        }
        return n;
    }

    public synchronized int leasedCount() {
        return leased.size();
    }

    /** Leases an address for the client with this thumbprint; empty when the pool is exhausted. */
    public synchronized Optional<Long> lease(String thumbprint) {
        Long previous = lastAddressOf.get(thumbprint);
        if (previous != null && isLeasable(previous) && !leased.contains(previous)) {
            leased.add(previous);
            return Optional.of(previous);
        }
        // Prefer addresses no other certificate remembers, so returning clients keep theirs.
        Optional<Long> fresh = firstFree(true);
        Optional<Long> chosen = fresh.isPresent() ? fresh : firstFree(false);
        chosen.ifPresent(a -> {
            leased.add(a);
            String oldOwner = rememberedOwner.put(a, thumbprint);
            if (oldOwner != null && !oldOwner.equals(thumbprint)) {
                lastAddressOf.remove(oldOwner);
            }
            if (previous != null) {
                rememberedOwner.remove(previous, thumbprint);
            }
            lastAddressOf.put(thumbprint, a);
        });
        return chosen;
    }

    /** Takes a specific address (a live session carried over to a new plan); false if not possible. */
    public synchronized boolean claim(long address, String thumbprint) {
        if (!isLeasable(address) || leased.contains(address)) {
            return false;
        }
        leased.add(address);
        lastAddressOf.put(thumbprint, address);
        rememberedOwner.put(address, thumbprint);
        return true;
    }

    public synchronized void release(long address) {
        leased.remove(address);
    }

    private Optional<Long> firstFree(boolean skipRemembered) {
        for (Ipv4Prefix p : slices) {
            for (long a = p.first() + 1; a < p.last(); a++) {
                if (!reserved.contains(a) && !leased.contains(a)
                        && (!skipRemembered || !rememberedOwner.containsKey(a))) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private boolean isLeasable(long address) {
        if (reserved.contains(address)) {
            return false;
        }
        for (Ipv4Prefix p : slices) {
            if (address > p.first() && address < p.last()) {
                return true;
            }
        }
        return false;
    }

    /** The slices, for messages ("172.16.201.0/25"). */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        slices.forEach(p -> out.add(p.toString()));
        return out;
    }
}
