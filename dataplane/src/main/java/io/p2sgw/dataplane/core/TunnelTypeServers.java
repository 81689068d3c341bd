package io.p2sgw.dataplane.core;

import io.p2sgw.dataplane.api.TunnelType;
import io.p2sgw.dataplane.spi.DatagramService;
import io.p2sgw.dataplane.spi.StreamProtocol;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which tunnel types this build can serve: those with a stream protocol on the shared TCP port or a datagram
 * service. A type enabled in {@code vpnClientProtocols} without one (IKEv2 and SSTP until their servers exist) is
 * accepted by the control plane, as Azure accepts it, but no client of that type can connect; the core says so in
 * its log, once when the type is enabled, and in its status.
 */
final class TunnelTypeServers {
    private final Set<TunnelType> implemented = EnumSet.noneOf(TunnelType.class);

    TunnelTypeServers(Collection<StreamProtocol> streams, Collection<DatagramService> datagrams) {
        streams.forEach(p -> implemented.add(p.tunnelType()));
        datagrams.forEach(d -> implemented.add(d.tunnelType()));
    }

    boolean implemented(TunnelType type) {
        return implemented.contains(type);
    }

    /** The enabled types without a server, in enum order. */
    List<TunnelType> notServed(Set<TunnelType> enabled) {
        return enabled.stream().filter(t -> !implemented(t)).sorted().toList();
    }

    /** The types without a server that {@code now} enables and {@code before} did not: each is logged once. */
    List<TunnelType> newlyEnabledNotServed(Set<TunnelType> before, Set<TunnelType> now) {
        return notServed(now).stream().filter(t -> !before.contains(t)).toList();
    }

    /** The log line and status detail for a type without a server. */
    static String notServedYet(TunnelType type) {
        return type.armName() + " is enabled in vpnClientProtocols, but this p2sgw has no " + type.armName()
                + " server yet: " + type.armName() + " clients cannot connect";
    }
}
