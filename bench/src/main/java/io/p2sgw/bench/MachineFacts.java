package io.p2sgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on. */
record MachineFacts(String cpu, int cpus, String memory, String kernel, String java, String openvpn, String openvpnDco, String iperf3) {
    static MachineFacts collect() {
        String cpu = grepFirst(Path.of("/proc/cpuinfo"), "model name");
        String mem = grepFirst(Path.of("/proc/meminfo"), "MemTotal");
        List<String> ovpn = BenchMain.firstLine("openvpn", "--version").isEmpty() ? List.of()
                : io.p2sgw.lab.Cmd.run("openvpn", "--version").output().lines().toList();
        String dco = ovpn.stream().filter(l -> l.startsWith("DCO version")).findFirst().orElse("DCO version: unknown");
        return new MachineFacts(cpu, Runtime.getRuntime().availableProcessors(), mem, BenchMain.firstLine("uname", "-sr"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                ovpn.isEmpty() ? "unknown" : ovpn.getFirst(), dco, BenchMain.firstLine("iperf3", "--version"));
    }

    private static String grepFirst(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
