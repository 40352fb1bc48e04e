package dev.shm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** This process's peak resident memory, as Linux counts it (VmHWM): native memory and the Java heap together. */
final class PeakMemory {
    private PeakMemory() {
    }

    static String describe() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format(Locale.ROOT, "%.2f GiB", kb / 1048576.0);
            }
        }
        return "unknown";
    }
}
