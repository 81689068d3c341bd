package io.p2sgw.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The texts the lab's clients write (strongswan.conf, the UML guest's init script), also used by the bench. */
class ClientTextsTest {
    @Test
    void strongswanConfPutsTheCallersSettingsAndLogLevelsInTheirSections() {
        List<String> lines = StrongSwanClient.strongswanConf(Path.of("/d"), List.of("install_routes = no"), List.of("default = 0", "knl = 2"))
                .lines().toList();
        assertEquals(List.of("charon {", "  load_modular = yes", "  install_routes = no", "  plugins {"), lines.subList(0, 4));
        int log = lines.indexOf("      path = /d/charon.log");
        assertEquals(List.of("      default = 0", "      knl = 2", "      flush_line = yes"), lines.subList(log + 1, log + 4));
        assertTrue(lines.containsAll(List.of("      socket = unix:///d/charon.vici", "      file = /d/resolv.conf", "    kernel-libipsec {")),
                lines.toString());
    }

    @Test
    void aLabClientRetransmitsThreeTimesAndReauthenticatesMakeBeforeBreak() {
        List<String> lines = StrongSwanClient.strongswanConf(Path.of("/c")).lines().toList();
        assertEquals(List.of("charon {", "  load_modular = yes", "  retransmit_tries = 3", "  make_before_break = yes", "  plugins {"),
                lines.subList(0, 5));
        assertTrue(lines.containsAll(List.of("      default = 1", "      ike = 2", "      cfg = 2")), lines.toString());
    }

    @Test
    void theGuestBootsItsNetworkThenSignalsTheCallersFileAndTheClientScriptFollows() {
        String boot = SstpUmlClient.guestBoot(Path.of("/g"), "192.0.2.6", "192.0.2.5", "agent");
        List<String> lines = boot.lines().toList();
        assertEquals("#!/bin/bash", lines.getFirst());
        assertTrue(lines.containsAll(List.of("OUT=/g", "M=/usr/lib/uml/modules/$(uname -r)/kernel", "ip addr add 192.0.2.6/30 dev eth0",
                "ip route add default via 192.0.2.5")), boot);
        assertEquals("date +%s.%N > \"$OUT/agent\"", lines.getLast());
        String client = SstpUmlClient.initScript(Path.of("/g"), "192.0.2.6", "192.0.2.5", "198.51.100.4", "alice", Duration.ofSeconds(60));
        assertTrue(client.startsWith(SstpUmlClient.guestBoot(Path.of("/g"), "192.0.2.6", "192.0.2.5", "booted")), client);
        assertTrue(client.contains("--user alice 198.51.100.4:443 --") && client.contains("for i in $(seq 1 40); do"), client);
    }
}
