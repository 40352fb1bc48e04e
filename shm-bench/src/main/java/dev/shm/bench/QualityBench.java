package dev.shm.bench;

import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.Phase;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.engine.Engines;
import dev.shm.runtime.matte.MattePredictor;
import dev.shm.runtime.eval.Evaluator;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.metrics.Metric;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Model quality under a fixed training budget, so that changes to training can be compared: generate-data on
 * {@code images} eg1800 portraits ({@code -Dshm.sharedData}) or synthetic ones, then {@code tnet} epochs of
 * pre_train_t_net and {@code e2e} of end_to_end at {@code patch}, then shm:eval's whole-image metrics on the test
 * split at the same size, beside the trivial predictors'. Each variant (a set of configuration overrides) trains
 * from the same data in turn:
 * <ul>
 *   <li>{@code shipped}: the defaults (whole-photo samples, colour jitter, constant lr);</li>
 *   <li>{@code recipe}: the recipe's sampling ({@code crop: native}, no jitter);</li>
 *   <li>{@code cosine}: the defaults with a cosine learning rate;</li>
 *   <li>{@code mobilenetv2}: the defaults with T-Net's encoder from {@code -Dmobilenetv2=FILE} (npm package nsfwjs
 *   4.4.0: its {@code .tgz} from the registry, or its {@code dist/models/mobilenet_v2}).</li>
 * </ul>
 */
public final class QualityBench {
    private QualityBench() {
    }

    public static void main(String[] args) throws IOException {
        int images = Integer.getInteger("images", 200);
        int patch = Integer.getInteger("patch", 128);
        int tNetEpochs = Integer.getInteger("tnet", 4);
        int endToEndEpochs = Integer.getInteger("e2e", 2);
        List<String> variants = List.of(System.getProperty("variants", "shipped,recipe").split(","));
        Path work = Files.createTempDirectory("shm-bench-quality");
        try {
            Path source = Portraits.source(images, work, 192, 256);
            Map<String, String> data = Portraits.dataOverrides(source, work);
            Path dataset = Portraits.dataset(source, work);
            System.out.printf(Locale.ROOT, "quality on %d %s portraits (split 6:2:2), patch and eval size %d, "
                    + "%d T-Net + %d end-to-end epochs, batch 8%n", images,
                    Portraits.describe(source), patch, tNetEpochs,
                    endToEndEpochs);
            System.out.printf(Locale.ROOT, "%-12s %9s %9s %9s %9s %9s %11s %11s %8s%n", "variant", "train s", "sad",
                    "mse", "grad", "conn", "all bg sad", "all fg sad", "vs triv");
            for (String variant : variants) {
                Map<String, String> overrides = new LinkedHashMap<>(data);
                overrides.putAll(Portraits.trainingOverrides(patch, "2", tNetEpochs, endToEndEpochs));
                for (Phase phase : List.of(Phase.PRE_TRAIN_T_NET, Phase.END_TO_END)) {
                    overrides.put(phase + ".keep_checkpoint_max", "0");
                    overrides.putAll(variant(variant, phase));
                }
                ShmConfig config = new ConfigLoader(work, work).load(null, overrides);
                Path trainUrl = work.resolve("train-" + variant);
                long started = System.nanoTime();
                List<Trainer.PhaseResult> phases = new Trainer(Progress.silent("bench")).run(new Trainer.Request(config,
                        dataset, trainUrl, List.of(Phase.PRE_TRAIN_T_NET, Phase.END_TO_END), true));
                double seconds = (System.nanoTime() - started) / 1e9;
                Path model = phases.get(phases.size() - 1).bestCheckpoint();
                Path testList = dataset.resolve("test").resolve("test.txt");
                Evaluator.Report report;
                try (MattePredictor predictor = Engines.open(model, Engines.parse("auto"), patch, testList,
                        Progress.silent("bench"))) {
                    report = new Evaluator(work.resolve("eval-" + variant), Progress.silent("bench"))
                            .evaluateModel(predictor, testList, patch, Evaluator.Region.WHOLE_IMAGE);
                }
                System.out.printf(Locale.ROOT, "%-12s %9.0f %9.3f %9.5f %9.3f %9.3f %11.3f %11.3f %8.3f%n", variant,
                        seconds, report.mean().get(Metric.SAD), report.mean().get(Metric.MSE), report.mean().get(Metric.GRAD),
                        report.mean().get(Metric.CONN), report.trivialSad().get(Evaluator.ALL_BACKGROUND),
                        report.trivialSad().get(Evaluator.ALL_FOREGROUND), report.sadVsTrivial());
            }
        } finally {
            AtomicFiles.deleteRecursively(work);
        }
    }

    private static Map<String, String> variant(String name, Phase phase) {
        return switch (name) {
            case "shipped" -> Map.of();
            case "recipe" -> Map.of(phase + ".crop", "native");
            case "cosine" -> Map.of(phase + ".lr_schedule", "cosine");
            case "mobilenetv2" -> {
                String weights = System.getProperty("mobilenetv2");
                if (weights == null) {
                    throw new IllegalArgumentException("the mobilenetv2 variant needs -Dmobilenetv2=FILE, the npm "
                            + "package nsfwjs-4.4.0.tgz (https://registry.npmjs.org/nsfwjs/-/nsfwjs-4.4.0.tgz) or its unpacked "
                            + "dist/models/mobilenet_v2");
                }
                yield phase == Phase.PRE_TRAIN_T_NET ? Map.of(phase + ".init_weight", weights) : Map.of();
            }
            default -> throw new IllegalArgumentException("unknown variant '" + name + "'; use shipped, recipe, cosine "
                    + "or mobilenetv2");
        };
    }
}
