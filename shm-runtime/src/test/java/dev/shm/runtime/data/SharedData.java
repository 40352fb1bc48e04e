package dev.shm.runtime.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** The optional real data beside the project ({@code ../shared/data}); tests that use it skip when it is absent. */
final class SharedData {
    private SharedData() {
    }

    static Path eg1800() {
        String configured = System.getProperty("shm.sharedData");
        if (configured != null && Files.isDirectory(Path.of(configured, "eg1800", "images"))) {
            return Path.of(configured, "eg1800");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/eg1800");
            if (Files.isDirectory(candidate.resolve("images"))) {
                return candidate;
            }
        }
        return null;
    }
}
