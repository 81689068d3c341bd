package io.p2sgw.openvpn.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds PUSH_REPLY messages under the bundle size, continuing with {@code push-continuation 2} and
 * ending with {@code push-continuation 1} when one message is not enough (openvpn.md §8.1, push.c).
 */
final class PushReply {
    private static final String PREFIX = "PUSH_REPLY";
    private static final String MORE = ",push-continuation 2";
    private static final String LAST = ",push-continuation 1";

    private PushReply() {}

    static List<String> split(List<String> options, int bundleSize) {
        String whole = PREFIX + "," + String.join(",", options);
        if (whole.length() < bundleSize) {
            return List.of(whole);
        }
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder(PREFIX);
        for (String o : options) {
            if (sb.length() + 1 + o.length() + MORE.length() >= bundleSize && sb.length() > PREFIX.length()) {
                out.add(sb + MORE);
                sb = new StringBuilder(PREFIX);
            }
            sb.append(',').append(o);
        }
        out.add(sb + LAST);
        return out;
    }
}
