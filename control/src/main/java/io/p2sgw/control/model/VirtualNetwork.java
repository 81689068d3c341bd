package io.p2sgw.control.model;

import java.util.List;
import java.util.Optional;

/**
 * A virtual network: address space (several prefixes), DNS servers pushed to clients, subnets
 * (azure-p2s.md §1.2).
 */
public record VirtualNetwork(String name, List<Ipv4Cidr> addressPrefixes, List<String> dnsServers, List<Subnet> subnets) {
    public VirtualNetwork {
        addressPrefixes = List.copyOf(addressPrefixes);
        dnsServers = List.copyOf(dnsServers);
        subnets = List.copyOf(subnets);
    }

    public Optional<Subnet> subnet(String subnetName) {
        return subnets.stream().filter(s -> s.name().equalsIgnoreCase(subnetName)).findFirst();
    }
}
