package io.p2sgw.cli.pki;

import picocli.CommandLine.Command;

/**
 * {@code p2sgw pki}: local certificate toolkit for point-to-site certificate authentication (azure-p2s.md §2.3-§2.5,
 * §5). Nothing here talks to the gateway; it makes and inspects the files the gateway and the clients take.
 */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Create and inspect root and client certificates for point-to-site VPN (no server needed).",
        subcommands = {RootCommand.class, IntermediateCommand.class, ClientCommand.class,
            ThumbprintCommand.class, ShowCommand.class, VerifyCommand.class},
        footer = {"", "Typical use:",
            "  p2sgw pki root create --cn P2SRootCert --out ./pki/root",
            "  p2sgw pki client create --ca ./pki/root --cn P2SChildCert \\",
            "      --out ./pki/clients --pfx-password",
            "  p2sgw network vnet-gateway root-cert create -g RG --gateway-name GW \\",
            "      -n P2SRootCert --public-cert-data ./pki/root/ca.cer"})
public final class PkiCommand {
}
