package io.p2sgw.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p2sgw.lab.Lab;
import java.util.ArrayList;
import java.util.List;

/**
 * The figure we take from {@code iperf3 --json} for a TCP test: {@code end.sum_received.bits_per_second}, the
 * goodput the receiving side counted (after the omitted warm-up seconds), and the sender's retransmits.
 */
public record IperfResult(double receivedBitsPerSecond, long retransmits) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** iperf3's JSON for a 10-30 s test is tens of KiB; refuse anything absurd. */
    static final int MAX_JSON_CHARS = 16 * 1024 * 1024;

    public double mbitPerSecond() {
        return receivedBitsPerSecond / 1e6;
    }

    /**
     * The iperf3 client's command for one TCP test to the VM: {@code seconds} after {@link BenchOptions#IPERF_OMIT_SECONDS}
     * omitted, JSON out; {@code reverse} (-R) has the VM send.
     */
    static List<String> command(int seconds, boolean reverse) {
        List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", Lab.VM_ADDRESS, "-t", Integer.toString(seconds), "-O",
                Integer.toString(BenchOptions.IPERF_OMIT_SECONDS), "-J"));
        if (reverse) {
            cmd.add("-R");
        }
        return cmd;
    }

    /** Parses the JSON object in iperf3's output (what ran it may print around it); throws as {@link #parse} does. */
    static IperfResult fromOutput(String output) {
        int start = output.indexOf('{');
        int end = output.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("no JSON in iperf3 output: " + output.strip());
        }
        return parse(output.substring(start, end + 1));
    }

    /** Parses iperf3's JSON; throws with iperf3's own "error" text when the test failed. */
    public static IperfResult parse(String json) {
        if (json.length() > MAX_JSON_CHARS) {
            throw new IllegalArgumentException("iperf3 output too long: " + json.length() + " chars");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("iperf3 output is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("iperf3 output is not a JSON object");
        }
        if (root.hasNonNull("error")) {
            throw new IllegalArgumentException("iperf3: " + root.get("error").asText());
        }
        JsonNode received = root.path("end").path("sum_received").path("bits_per_second");
        if (!received.isNumber()) {
            throw new IllegalArgumentException("iperf3 output has no end.sum_received.bits_per_second");
        }
        long retransmits = root.path("end").path("sum_sent").path("retransmits").asLong(0);
        return new IperfResult(received.asDouble(), retransmits);
    }
}
