package dev.shm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.Phase;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.data.DatasetGenerator;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.progress.ProgressEvent;
import dev.shm.runtime.train.Parallelism;
import dev.shm.runtime.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phases trained as Spark tasks on local[2], against the same phases trained by one plain fit. Two tasks averaged
 * make one update of the network where a plain fit makes two, so Spark trains twice the epochs: the same number of
 * updates, each from twice the images.
 */
class SparkTrainingTest {
    private static final List<Phase> PHASES = List.of(Phase.PRE_TRAIN_T_NET, Phase.END_TO_END);

    @TempDir
    Path dir;

    @Test
    void sparkTrainsThePhasesWithCheckpointsLogsAndAnEvalSadComparableToAPlainFit() throws Exception {
        ShmConfig data = new ConfigLoader(dir, Path.of("out")).load(null, Map.of(
                "generate_data.synthetic_pic_nums", "24",
                "generate_data.synthetic_width", "48",
                "generate_data.synthetic_height", "64",
                "generate_data.generate_debug", "false"));
        Path dataset = new DatasetGenerator(data.generateData(), data.seed(), dir.resolve("out"),
                Progress.silent("generate-data")).run(false).dataset();
        Map<String, String> overrides = new HashMap<>();
        for (Phase phase : Phase.values()) {
            overrides.put(phase + ".patch_size", "32");
            overrides.put(phase + ".train_batch", "2");
            overrides.put(phase + ".nEpochs", "3");
        }
        ShmConfig config = new ConfigLoader(dir, Path.of("out")).load(null, overrides);
        for (Phase phase : Phase.values()) {
            overrides.put(phase + ".nEpochs", "6");
        }
        ShmConfig twice = new ConfigLoader(dir, Path.of("out")).load(null, overrides);

        List<ProgressEvent> events = new ArrayList<>();
        List<Trainer.PhaseResult> spark = new Trainer(new Progress("train", List.of(events::add))).run(
                new Trainer.Request(twice, dataset, dir.resolve("spark"), PHASES, false,
                        new Parallelism(0, 2, "local[2]", Map.of())));
        List<Trainer.PhaseResult> plain = new Trainer(Progress.silent("train")).run(
                new Trainer.Request(config, dataset, dir.resolve("plain"), PHASES, false));

        Path endToEnd = dir.resolve("spark/ckpt_s2/end_to_end");
        for (String name : List.of("semantic_hm_final.ckpt", "semantic_hm_best.ckpt", "semantic_hm_latest_6.ckpt",
                "log_latest.txt", "log_best.txt")) {
            assertTrue(Files.isRegularFile(endToEnd.resolve(name)), name);
        }
        assertEquals(6, Checkpoints.readState(spark.get(1).finalCheckpoint()).epoch());
        assertTrue(events.stream().anyMatch(e -> e.message() != null && e.message().contains("Spark local[2], 2 tasks")),
                "the log names the engine");
        double sparkSad = spark.get(1).bestSad();
        double plainSad = plain.get(1).bestSad();
        System.out.printf("eval SAD: Spark local[2] after 6 + 6 epochs %.4f, plain fit after 3 + 3 %.4f%n", sparkSad, plainSad);
        assertTrue(sparkSad < 1.25 * plainSad, "Spark " + sparkSad + " against a plain fit's " + plainSad);
    }
}
