package io.p2sgw.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A live-object class histogram (jcmd GC.class_histogram: "num: #instances #bytes class name (module)") and the
 * per-session difference of two of them, which shows where an idle session's heap goes.
 */
final class HeapHistogram {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d{1,9}:\\s+(\\d{1,15})\\s+(\\d{1,18})\\s+(\\S{1,1000})");
    /** A histogram has one line per loaded class; far fewer than this. */
    static final int MAX_LINES = 1_000_000;

    record Entry(long instances, long bytes) {}

    /** One class's growth per session. */
    record Growth(String className, double instancesPerSession, double bytesPerSession) {}

    private final Map<String, Entry> byClass;

    private HeapHistogram(Map<String, Entry> byClass) {
        this.byClass = byClass;
    }

    static HeapHistogram parse(List<String> lines) {
        if (lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("histogram too long: " + lines.size() + " lines");
        }
        Map<String, Entry> m = new HashMap<>();
        for (String line : lines) {
            Matcher r = ROW.matcher(line);
            if (r.find()) {
                // The same class name may come from two loaders; add them up.
                m.merge(r.group(3), new Entry(Long.parseLong(r.group(1)), Long.parseLong(r.group(2))),
                        (a, b) -> new Entry(a.instances + b.instances, a.bytes + b.bytes));
            }
        }
        return new HeapHistogram(m);
    }

    int classes() {
        return byClass.size();
    }

    /** The classes that grew most from {@code before} to this histogram, per session, largest first. */
    List<Growth> growthSince(HeapHistogram before, int sessions, int top) {
        if (sessions <= 0) {
            return List.of();
        }
        List<Growth> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : byClass.entrySet()) {
            Entry b = before.byClass.getOrDefault(e.getKey(), new Entry(0, 0));
            long db = e.getValue().bytes - b.bytes;
            if (db > 0) {
                out.add(new Growth(e.getKey(), (e.getValue().instances - b.instances) / (double) sessions, db / (double) sessions));
            }
        }
        out.sort(Comparator.comparingDouble(Growth::bytesPerSession).reversed());
        return List.copyOf(out.subList(0, Math.min(top, out.size())));
    }

    static String format(List<Growth> growth) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%12s %14s  %s%n", "bytes/session", "objects/session", "class"));
        for (Growth g : growth) {
            sb.append(String.format(Locale.ROOT, "%12.0f %14.1f  %s%n", g.bytesPerSession(), g.instancesPerSession(), g.className()));
        }
        return sb.toString();
    }
}
