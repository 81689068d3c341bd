package io.p2sgw.dataplane.pool;

import io.p2sgw.dataplane.api.TunnelType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How one instance's share of {@code vpnClientAddressPool} is divided, following azure-p2s.md §2.1 and §4.5:
 * <ul>
 *   <li>active-active with two instances: each serves one half of every prefix (instance 0 the lower half); the
 *       spec calls the per-instance split UNCONFIRMED, the /28 minimum suggests halves. One instance serves the
 *       whole pool, also for an active-active gateway: nobody would serve the other half;</li>
 *   <li>SSTP combined with another type: the (instance's) pool is split equally; SSTP gets the upper half and
 *       IKEv2/OpenVPN share the lower half (they also share one SKU limit, §2.6; the spec says an
 *       IKEv2+OpenVPN pool is presumably shared);</li>
 *   <li>the gateway keeps the first usable address of the instance's first prefix for itself (the TUN
 *       address, the route-gateway / PPP peer address pushed to clients).</li>
 * </ul>
 * Network and broadcast addresses of each slice are never handed out.
 *
 * @param gatewayAddress the gateway's own address inside the pool
 * @param instancePrefixes the prefixes this instance serves (the TUN routes these)
 * @param slices       per tunnel type, the prefixes its clients get addresses from
 */
public record PoolPlan(long gatewayAddress, List<Ipv4Prefix> instancePrefixes, Map<TunnelType, List<Ipv4Prefix>> slices) {
    public PoolPlan {
        instancePrefixes = List.copyOf(instancePrefixes);
        Map<TunnelType, List<Ipv4Prefix>> copy = new EnumMap<>(TunnelType.class);
        slices.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        slices = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Computes the plan.
     *
     * @param instanceCount how many instances share the pool (1 or 2, {@code GatewaySnapshot#instanceCount})
     * @param instanceIndex which of them this is
     * @throws IllegalArgumentException when the pool is empty, not IPv4, or too small to split
     */
    public static PoolPlan of(List<String> addressPool, Set<TunnelType> types, int instanceCount, int instanceIndex) {
        if (instanceCount < 1 || instanceCount > 2 || instanceIndex < 0 || instanceIndex >= instanceCount) {
            throw new IllegalArgumentException("instance " + instanceIndex + " of " + instanceCount
                    + ": a pool is served by one instance or split between two");
        }
        List<Ipv4Prefix> instance = new ArrayList<>();
        for (String cidr : addressPool) {
            Ipv4Prefix p = Ipv4Prefix.parse(cidr);
            instance.add(instanceCount == 2 ? p.halves()[instanceIndex] : p);
        }
        if (instance.isEmpty()) {
            throw new IllegalArgumentException("the address pool is empty");
        }
        for (Ipv4Prefix p : instance) {
            if (p.length() > 30) {
                throw new IllegalArgumentException("pool slice " + p + " is too small (needs at least a /30 per instance)");
            }
        }
        long gateway = instance.getFirst().first() + 1;
        boolean splitSstp = types.contains(TunnelType.SSTP) && types.size() > 1;
        Map<TunnelType, List<Ipv4Prefix>> slices = new EnumMap<>(TunnelType.class);
        for (TunnelType t : types) {
            List<Ipv4Prefix> mine = new ArrayList<>();
            for (Ipv4Prefix p : instance) {
                if (splitSstp) {
                    Ipv4Prefix[] h = p.halves();
                    mine.add(t == TunnelType.SSTP ? h[1] : h[0]);
                } else {
                    mine.add(p);
                }
            }
            slices.put(t, mine);
        }
        return new PoolPlan(gateway, instance, slices);
    }

    public List<Ipv4Prefix> sliceOf(TunnelType type) {
        return slices.getOrDefault(type, List.of());
    }

    /** The prefix length clients of a type are told (the slice's own length). */
    public int prefixLengthOf(TunnelType type) {
        return sliceOf(type).stream().findFirst().map(Ipv4Prefix::length).orElse(32);
    }

    /** The instance prefix containing an address, if any. */
    public Optional<Ipv4Prefix> instancePrefixOf(long address) {
        return instancePrefixes.stream().filter(p -> p.contains(address)).findFirst();
    }
}
