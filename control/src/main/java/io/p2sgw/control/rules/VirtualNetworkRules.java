package io.p2sgw.control.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p2sgw.control.ArmException;
import io.p2sgw.control.model.Ipv4Cidr;
import io.p2sgw.control.model.JsonFields;
import io.p2sgw.control.model.Subnet;
import io.p2sgw.control.model.VirtualNetwork;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads a virtualNetworks body and checks the rules of azure-p2s.md §1.2. */
public final class VirtualNetworkRules {
    private VirtualNetworkRules() {}

    public static VirtualNetwork read(String name, ObjectNode body) {
        NameRules.requireValid(name, NameRules.VNET_MIN, NameRules.VNET_MAX);
        ObjectNode props = JsonFields.properties(body);
        ObjectNode space = JsonFields.object(props, "addressSpace", "properties.addressSpace").orElseGet(props::objectNode);
        List<Ipv4Cidr> prefixes = new ArrayList<>();
        for (String p : JsonFields.strings(space, "addressPrefixes", "properties.addressSpace.addressPrefixes")) {
            prefixes.add(Ipv4Cidr.parse(p, "virtual network " + name));
        }
        if (prefixes.isEmpty()) {
            throw ArmException.badRequest("VirtualNetworkAddressSpaceRequired",
                    "Virtual network " + name + " needs at least one prefix in properties.addressSpace.addressPrefixes.");
        }
        for (int i = 0; i < prefixes.size(); i++) {
            for (int j = i + 1; j < prefixes.size(); j++) {
                if (prefixes.get(i).overlaps(prefixes.get(j))) {
                    throw ArmException.badRequest("VnetAddressSpacesOverlap", "Cannot create or update virtual network "
                            + name + " since address space " + prefixes.get(i) + " overlaps with address space "
                            + prefixes.get(j) + " in the same virtual network.");
                }
            }
        }
        ObjectNode dhcp = JsonFields.object(props, "dhcpOptions", "properties.dhcpOptions").orElseGet(props::objectNode);
        List<String> dns = JsonFields.strings(dhcp, "dnsServers", "properties.dhcpOptions.dnsServers");
        for (String d : dns) {
            if (!Ipv4Cidr.isIpv4Address(d)) {
                throw ArmException.badRequest("InvalidDnsServerAddress",
                        "DNS server " + d + " of virtual network " + name + " is not a valid IPv4 address.");
            }
        }
        List<Subnet> subnets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (ObjectNode s : JsonFields.objects(props, "subnets", "properties.subnets")) {
            String path = "properties.subnets[" + i++ + "]";
            String sn = JsonFields.string(s, "name", path + ".name").orElseThrow(() -> ArmException.badRequest(
                    "InvalidRequestFormat", "Cannot parse the request. Property '" + path + ".name' is required."));
            subnets.add(readSubnet(name, sn, s));
            if (!names.add(sn.toLowerCase(Locale.ROOT))) {
                throw ArmException.badRequest("DuplicateResourceName", "Virtual network " + name
                        + " has more than one subnet named " + sn + ".");
            }
        }
        VirtualNetwork vnet = new VirtualNetwork(name, prefixes, dns, subnets);
        checkSubnets(vnet);
        return vnet;
    }

    /** A subnet body: {@code properties.addressPrefix} (or a one-element {@code addressPrefixes}). */
    public static Subnet readSubnet(String vnetName, String subnetName, ObjectNode body) {
        NameRules.requireValid(subnetName, 1, NameRules.SUBNET_MAX);
        ObjectNode props = JsonFields.properties(body);
        String prefix = JsonFields.string(props, "addressPrefix", "properties.addressPrefix").orElseGet(() -> {
            List<String> many = JsonFields.strings(props, "addressPrefixes", "properties.addressPrefixes");
            if (many.size() > 1) {
                throw ArmException.badRequest("MultipleSubnetPrefixesNotSupported",
                        "Subnet " + subnetName + " has several address prefixes; p2sgw supports one per subnet.");
            }
            return many.isEmpty() ? null : many.getFirst();
        });
        if (prefix == null) {
            throw ArmException.badRequest("SubnetMissingRequiredProperty", "Subnet " + subnetName
                    + " of virtual network " + vnetName + " is missing required property 'addressPrefix'.");
        }
        return new Subnet(subnetName, Ipv4Cidr.parse(prefix, "subnet " + subnetName));
    }

    static void checkSubnets(VirtualNetwork vnet) {
        List<Subnet> subnets = vnet.subnets();
        for (int i = 0; i < subnets.size(); i++) {
            Subnet s = subnets.get(i);
            if (vnet.addressPrefixes().stream().noneMatch(p -> p.contains(s.addressPrefix()))) {
                throw ArmException.badRequest("NetcfgSubnetRangeOutsideVnet", "Subnet '" + s.name()
                        + "' is not valid because its IP address range is outside the IP address range of virtual network '"
                        + vnet.name() + "'.");
            }
            for (int j = 0; j < i; j++) {
                Subnet o = subnets.get(j);
                if (s.addressPrefix().overlaps(o.addressPrefix())) {
                    throw ArmException.badRequest("NetcfgSubnetRangesOverlap", "Subnet '" + s.name()
                            + "' is not valid in virtual network '" + vnet.name()
                            + "' because its IP address range overlaps with that of an existing subnet '" + o.name() + "'.");
                }
            }
            if (s.name().equalsIgnoreCase(Subnet.GATEWAY_SUBNET)) {
                if (!s.isGatewaySubnet()) {
                    throw ArmException.badRequest("InvalidGatewaySubnetName", "Subnet '" + s.name()
                            + "' must be named exactly 'GatewaySubnet' (this casing) to be used by a gateway.");
                }
                checkGatewaySubnetSize(vnet.name(), s);
            }
        }
    }

    /** A GatewaySubnet is at least /29; /27 or larger is recommended (FAQ, azure-p2s.md §1.2). */
    public static void checkGatewaySubnetSize(String vnetName, Subnet s) {
        if (s.addressPrefix().prefixLength() > Subnet.GATEWAY_SUBNET_MAX_PREFIX_LENGTH) {
            throw ArmException.badRequest("GatewaySubnetTooSmall", "The GatewaySubnet of virtual network " + vnetName
                    + " has prefix " + s.addressPrefix() + ". A GatewaySubnet must be /29 or larger; /27 or larger is recommended.");
        }
    }
}
