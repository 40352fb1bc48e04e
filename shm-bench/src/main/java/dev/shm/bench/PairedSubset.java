package dev.shm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A paired-layout folder of links to the first pairs of a paired dataset (the real data is never copied). */
final class PairedSubset {
    private PairedSubset() {
    }

    static Path link(Path source, int n, Path target) throws IOException {
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
