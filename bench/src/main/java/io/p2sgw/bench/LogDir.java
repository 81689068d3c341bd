package io.p2sgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** bench/target/bench-logs: what a run keeps for reading afterwards (client logs, heap growth); a failed write is logged, not fatal. */
record LogDir(Path dir) {
    void save(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            BenchMain.log("cannot write " + name + ": " + e.getMessage());
        }
    }
}
