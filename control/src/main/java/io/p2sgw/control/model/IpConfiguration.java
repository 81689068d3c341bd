package io.p2sgw.control.model;

/** A gateway ipConfiguration: GatewaySubnet + public IP (azure-p2s.md §1.3). */
public record IpConfiguration(String name, String subnetId, String publicIpAddressId) {}
