package dev.shm.runtime.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a path really leads, links followed, whether or not it exists yet. */
public final class RealPaths {
    private RealPaths() {
    }

    /** The real path of the deepest existing ancestor of {@code path}, with the rest of {@code path} appended. */
    public static Path of(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + existing, e);
        }
    }

    /** Whether one of the two paths really lies inside the other (or they are the same), links followed. */
    public static boolean overlap(Path a, Path b) {
        Path realA = of(a);
        Path realB = of(b);
        return realA.startsWith(realB) || realB.startsWith(realA);
    }
}
