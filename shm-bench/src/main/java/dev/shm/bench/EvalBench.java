package dev.shm.bench;

import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.data.DatasetGenerator;
import dev.shm.runtime.data.DatasetLists;
import dev.shm.runtime.data.SourceLayout;
import dev.shm.runtime.engine.Engines;
import dev.shm.runtime.matte.MattePredictor;
import dev.shm.runtime.eval.Evaluator;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Model-mode evaluation speed on 200 real portraits (the first 200 of {@code ../shared/data/eg1800} made into a test
 * split of 198), with the seed's protocol at 320x320, through ONNX Runtime (all images) and DL4J (the first
 * {@code dl4jImages}), in one run. {@code -Dcheckpoint=FILE} evaluates a trained model; else a freshly initialised one.
 */
public final class EvalBench {
    private EvalBench() {
    }

    public static void main(String[] args) throws IOException {
        String shared = System.getProperty("shm.sharedData");
        Path eg1800 = shared == null ? null : Path.of(shared, "eg1800");
        if (eg1800 == null || !Files.isDirectory(eg1800.resolve("images"))) {
            System.out.println("eval benchmark skipped: ../shared/data/eg1800 is absent");
            return;
        }
        int size = Integer.getInteger("size", 320);
        int dl4jImages = Integer.getInteger("dl4jImages", 10);
        Path work = Files.createTempDirectory("shm-bench-eval");
        try {
            Path source = SourceLayout.linkPairedSubset(eg1800, 200, work.resolve("source"));
            Map<String, String> overrides = new HashMap<>(Map.of("generate_data.path_mt_human", source.toString(),
                    "generate_data.proportion", "1:1:198", "generate_data.generate_debug", "false"));
            ShmConfig config = new ConfigLoader(work, work).load(null, overrides);
            Path dataset = new DatasetGenerator(config.generateData(), config.seed(), work, Progress.silent("bench"))
                    .run(false).dataset();
            Path testList = dataset.resolve("test/test.txt");
            Path checkpoint = System.getProperty("checkpoint") != null ? Path.of(System.getProperty("checkpoint"))
                    : randomCheckpoint(work.resolve("model.ckpt"), size);
            int images = DatasetLists.read(testList).size();
            double ort;
            try (MattePredictor onnx = Engines.open(checkpoint, Engines.Engine.AUTO, size, testList, Progress.silent("b"))) {
                ort = new Evaluator(work.resolve("eval-ort"), Progress.silent("b"))
                        .evaluateModel(onnx, testList, size, Evaluator.Region.WHOLE_IMAGE).imagesPerSecond();
            }
            Path firstImages = testList.resolveSibling("first.txt");
            Files.write(firstImages, Files.readAllLines(testList).subList(0, Math.min(dl4jImages, images)));
            double dl4j;
            try (MattePredictor network = Engines.open(checkpoint, Engines.Engine.DL4J, size, testList, Progress.silent("b"))) {
                dl4j = new Evaluator(work.resolve("eval-dl4j"), Progress.silent("b"))
                        .evaluateModel(network, firstImages, size, Evaluator.Region.WHOLE_IMAGE).imagesPerSecond();
            }
            System.out.printf(Locale.ROOT, "shm:eval model mode at %dx%d on real eg1800 portraits (600x800), all four metrics:%n",
                    size, size);
            System.out.printf(Locale.ROOT, "  ONNX Runtime (checked against DL4J): %.2f images/s over %d images%n", ort, images);
            System.out.printf(Locale.ROOT, "  DL4J:                                %.2f images/s over %d images (%.1fx slower)%n",
                    dl4j, dl4jImages, ort / dl4j);
        } finally {
            AtomicFiles.deleteRecursively(work);
        }
    }

    private static Path randomCheckpoint(Path file, int size) {
        Checkpoints.write(file, Networks.build(Networks.Kind.END_TO_END, size, 9527, 1e-4), new CheckpointState(
                "end_to_end", "END_TO_END", 0, 0, "bench", Double.NaN, 0, size, new double[] {0.5, 0.45, 0.42},
                new double[] {0.28, 0.27, 0.28}, "bench"));
        return file;
    }
}
