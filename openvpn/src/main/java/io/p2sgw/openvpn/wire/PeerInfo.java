package io.p2sgw.openvpn.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The client's peer-info block: {@code KEY=VALUE\n} lines (openvpn.md §5.1, §5.4). */
public record PeerInfo(Map<String, String> values) {
    /** IV_PROTO bits (openvpn.md §5.4). */
    public static final int PROTO_DATA_V2 = 1 << 1;
    public static final int PROTO_REQUEST_PUSH = 1 << 2;
    public static final int PROTO_TLS_KEY_EXPORT = 1 << 3;
    public static final int PROTO_CC_EXIT_NOTIFY = 1 << 7;
    /** A bound on lines so a hostile block cannot grow the map without limit. */
    public static final int MAX_LINES = 64;

    public PeerInfo {
        values = Map.copyOf(values);
    }

    public static PeerInfo parse(String block) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : block.split("\n", MAX_LINES + 1)) {
            if (m.size() >= MAX_LINES) {
                break;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return new PeerInfo(m);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** IV_PROTO as a number; 0 when absent or malformed. */
    public int protoFlags() {
        return intValue("IV_PROTO");
    }

    public int ncp() {
        return intValue("IV_NCP");
    }

    /** IV_CIPHERS split on ':'; empty when absent. */
    public List<String> ciphers() {
        return get("IV_CIPHERS").map(s -> List.of(s.split(":"))).orElse(List.of());
    }

    public boolean hasProto(int bit) {
        return (protoFlags() & bit) != 0;
    }

    private int intValue(String key) {
        try {
            return get(key).map(Integer::parseInt).orElse(0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
