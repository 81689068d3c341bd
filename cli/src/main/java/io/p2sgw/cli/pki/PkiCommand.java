package io.p2sgw.cli.pki;

import picocli.CommandLine.Command;

/**
 * {@code p2sgw pki}: local certificate toolkit for point-to-site certificate authentication (azure-p2s.md,
 * certificates). Nothing here talks to the gateway; it makes and inspects the files the gateway takes.
 */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Create and inspect root and client certificates for point-to-site VPN.",
        subcommands = {})
public final class PkiCommand {
}
