package dev.shm.runtime.train;

import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.data.DatasetGenerator;
import dev.shm.runtime.progress.Progress;
import java.nio.file.Path;
import java.util.Map;

/** A tiny dataset of synthetic 48x64 portraits made by generate-data, for training tests. */
final class SyntheticDataset {
    private SyntheticDataset() {
    }

    /** Makes {@code pictures} portraits under {@code dir} and returns the dataset folder. */
    static Path make(Path dir, int pictures) {
        ShmConfig config = new ConfigLoader(dir, Path.of("out")).load(null, Map.of(
                "generate_data.synthetic_pic_nums", Integer.toString(pictures),
                "generate_data.synthetic_width", "48",
                "generate_data.synthetic_height", "64",
                "generate_data.generate_debug", "false"));
        return new DatasetGenerator(config.generateData(), config.seed(), dir.resolve("out"),
                Progress.silent("generate-data")).run(false).dataset();
    }
}
