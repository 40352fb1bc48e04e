package dev.shm.bench;

import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.Phase;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.config.SyntheticConfig;
import dev.shm.runtime.data.DatasetGenerator;
import dev.shm.runtime.data.SourceLayout;
import dev.shm.runtime.data.SyntheticPortraits;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** What a {@link #source} holds, for a benchmark's heading: "real eg1800" or "synthetic". */
    static String describe(Path source) {
        return Files.isDirectory(source.resolve("images")) ? "real eg1800" : "synthetic";
    }

    /**
     * Overrides that train T-Net then the whole network at {@code patch} (and evaluate there), batch 8, with data
     * loaded by {@code nThreads} threads, for the given epochs of each phase.
     */
    static Map<String, String> trainingOverrides(int patch, String nThreads, int tNetEpochs, int endToEndEpochs) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (Phase phase : List.of(Phase.PRE_TRAIN_T_NET, Phase.END_TO_END)) {
            overrides.put(phase + ".patch_size", Integer.toString(patch));
            overrides.put(phase + ".train_batch", "8");
            overrides.put(phase + ".nThreads", nThreads);
            overrides.put(phase + ".nEpochs", Integer.toString(phase == Phase.PRE_TRAIN_T_NET
                    ? tNetEpochs : endToEndEpochs));
        }
        overrides.put("test.size", Integer.toString(patch));
        return overrides;
    }

    /** The config overrides that name a {@link #source} and a dataset folder under {@code work}. */
    static Map<String, String> dataOverrides(Path source, Path work) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("generate_data.path_mt_human", source.toString());
        data.put("generate_data.path_save", work.resolve("dataset").toString());
        data.put("generate_data.generate_debug", "false");
        return data;
    }

    /** shm:generate-data's dataset of {@code source}, made under {@code work}. */
    static Path dataset(Path source, Path work) {
        Path output = work.resolve("out");
        ShmConfig config = new ConfigLoader(work, output).load(null, dataOverrides(source, work));
        return new DatasetGenerator(config.generateData(), config.seed(), output, Progress.silent("bench")).run(true)
                .dataset();
    }
}
