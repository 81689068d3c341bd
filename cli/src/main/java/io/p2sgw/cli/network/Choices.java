package io.p2sgw.cli.network;

import java.util.Iterator;
import java.util.List;

/**
 * Values the API accepts for the gateway options, shown in {@code --help} through picocli's
 * {@code ${COMPLETION-CANDIDATES}}. The options stay strings, so that the API's own error (with Azure's
 * code and text) answers a value it does not take (azure-p2s.md §1.3, §2).
 */
final class Choices {
    private Choices() {}

    private abstract static class Values implements Iterable<String> {
        private final List<String> values;

        Values(String... values) {
            this.values = List.of(values);
        }

        @Override
        public Iterator<String> iterator() {
            return values.iterator();
        }
    }

    /** azure-p2s.md §2.5 (the SKU table); the AZ SKUs are the zone-redundant ones. */
    static final class GatewaySkus extends Values {
        GatewaySkus() {
            super("Basic", "VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5",
                    "VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ");
        }
    }

    static final class GatewayTypes extends Values {
        GatewayTypes() {
            super("Vpn", "ExpressRoute");
        }
    }

    static final class VpnTypes extends Values {
        VpnTypes() {
            super("RouteBased", "PolicyBased");
        }
    }

    static final class Generations extends Values {
        Generations() {
            super("Generation1", "Generation2");
        }
    }

    static final class TunnelTypes extends Values {
        TunnelTypes() {
            super("IkeV2", "SSTP", "OpenVPN");
        }
    }

    static final class AuthTypes extends Values {
        AuthTypes() {
            super("Certificate");
        }
    }
}
