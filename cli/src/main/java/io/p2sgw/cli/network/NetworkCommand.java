package io.p2sgw.cli.network;

import picocli.CommandLine.Command;

/** {@code p2sgw network ...}: mirrors {@code az network ...} (azure-p2s.md §1.5) over the ARM-shaped API. */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "Manage virtual networks, public IPs and VPN gateways (like 'az network').",
        subcommands = {VnetCommand.class, PublicIpCommand.class, VnetGatewayCommand.class})
public final class NetworkCommand {
}
