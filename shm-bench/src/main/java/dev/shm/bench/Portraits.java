package dev.shm.bench;

import dev.shm.runtime.config.SyntheticConfig;
import dev.shm.runtime.data.SourceLayout;
import dev.shm.runtime.data.SyntheticPortraits;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The portraits a benchmark runs on: {@code n} eg1800 photos under {@code -Dshm.sharedData}, else synthetic ones. */
final class Portraits {
    private Portraits() {
    }

    static Path source(int n, Path work, int syntheticWidth, int syntheticHeight) throws IOException {
        String shared = System.getProperty("shm.sharedData");
        Path eg1800 = shared == null ? null : Path.of(shared, "eg1800");
        Path source = work.resolve("source");
        if (eg1800 != null && Files.isDirectory(eg1800.resolve("images"))) {
            return SourceLayout.linkPairedSubset(eg1800, n, source);
        }
        return SyntheticPortraits.ensure(source, new SyntheticConfig(n, syntheticWidth, syntheticHeight), 9527,
                Progress.silent("bench"));
    }
}
