package io.p2sgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Resident set size from {@code /proc/<pid>/status} (proc(5): "VmRSS: <n> kB"). */
public final class ProcStatus {
    /** /proc status files are a few KiB; a longer text is not one. */
    static final int MAX_STATUS_CHARS = 64 * 1024;

    private ProcStatus() {}

    /** The VmRSS line of a status text, in bytes. */
    public static OptionalLong parseVmRssBytes(String statusText) {
        if (statusText.length() > MAX_STATUS_CHARS) {
            return OptionalLong.empty();
        }
        for (String line : statusText.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                if (parts.length == 2 && parts[1].equals("kB") && parts[0].matches("\\d{1,15}")) {
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /**
     * utime + stime of a {@code /proc/<pid>/stat} line, in clock ticks (proc(5) fields 14 and 15). The command
     * name (field 2) is in parentheses and may hold spaces, so fields are counted after its closing parenthesis.
     */
    public static OptionalLong parseCpuTicks(String statLine) {
        if (statLine.length() > MAX_STATUS_CHARS) {
            return OptionalLong.empty();
        }
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            return OptionalLong.empty();
        }
        String[] f = statLine.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3].
        if (f.length < 13 || !f[11].matches("\\d{1,18}") || !f[12].matches("\\d{1,18}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }

    /** CPU time (user + system) of a process, all its threads, in clock ticks ({@link #USER_HZ} per second). */
    public static OptionalLong cpuTicks(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Linux reports /proc times in USER_HZ, 100 per second on every architecture we run on. */
    public static final int USER_HZ = 100;

    public static OptionalLong rssBytes(long pid) {
        try {
            return parseVmRssBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
