package dev.shm.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

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

    /** A paired-layout folder holding links to the first {@code n} pairs of {@code source}, sorted by name. */
    static Path pairedSubset(Path source, int n, Path target) throws IOException {
        Files.createDirectories(target.resolve("images"));
        Files.createDirectories(target.resolve("alpha"));
        List<Path> images;
        try (Stream<Path> list = Files.list(source.resolve("images"))) {
            images = list.sorted().limit(n).toList();
        }
        for (Path image : images) {
            String stem = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Files.createSymbolicLink(target.resolve("images").resolve(image.getFileName()), image.toAbsolutePath());
            Files.createSymbolicLink(target.resolve("alpha").resolve(stem + ".png"),
                    source.resolve("alpha").resolve(stem + ".png").toAbsolutePath());
        }
        return target;
    }
}
