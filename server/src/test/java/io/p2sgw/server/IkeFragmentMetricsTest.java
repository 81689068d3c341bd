package io.p2sgw.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The IKE fragmentation counters (RFC 7383) are scraped as p2sgw_ike_fragments_total and its message companion. */
class IkeFragmentMetricsTest {
    @Test
    void fragmentCountersAreExposedByDirection() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DataPlanes.registerIkeFragmentMetrics(registry);
        String scrape = registry.scrape();
        for (String line : new String[] {"p2sgw_ike_fragments_total{direction=\"received\"}",
                "p2sgw_ike_fragments_total{direction=\"sent\"}",
                "p2sgw_ike_fragmented_messages_total{direction=\"received\"}",
                "p2sgw_ike_fragmented_messages_total{direction=\"sent\"}"}) {
            assertTrue(scrape.contains(line), line + " in\n" + scrape);
        }
        assertEquals(4, registry.find("p2sgw.ike.fragments").meters().size()
                + registry.find("p2sgw.ike.fragmented.messages").meters().size());
    }
}
