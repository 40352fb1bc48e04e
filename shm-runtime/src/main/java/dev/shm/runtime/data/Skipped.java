package dev.shm.runtime.data;

import java.nio.file.Path;

/** A source file left out of the dataset, and why. */
public record Skipped(Path path, String reason) {
    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
