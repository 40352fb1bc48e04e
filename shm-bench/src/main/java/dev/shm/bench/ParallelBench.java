package dev.shm.bench;

import dev.shm.runtime.config.Phase;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.train.Parallelism;
import dev.shm.runtime.train.Trainer;
import dev.shm.runtime.train.TrainingProcess;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * shm:train's T-Net phase as a user runs it (a training JVM of its own, default allocator), in one run: a plain
 * fit, {@code workers} (2) threads averaged, and as many Spark tasks on {@code master} ({@code local[workers]}; with
 * {@code SPARK_HOME} and {@code SPARK_SCALA_VERSION} set, {@code local-cluster[2,1,4096]} runs executors in JVMs of their own on Spark's jars
 * alone, as on a cluster), each for {@code epochs} (2) on
 * {@code images} (32) portraits at {@code patch} (192), batch 8, averaging every {@code every} (1) steps of each
 * worker. Prints images/s over the whole phase (eval and checkpoints included), the last epoch's loss, and the bytes a
 * round exchanges.
 */
public final class ParallelBench {
    private ParallelBench() {
    }

    public static void main(String[] args) throws IOException {
        int images = Integer.getInteger("images", 32);
        int patch = Integer.getInteger("patch", 192);
        int epochs = Integer.getInteger("epochs", 2);
        int workers = Integer.getInteger("workers", 2);
        int every = Integer.getInteger("every", 1);
        Path work = Files.createTempDirectory("shm-bench-parallel");
        try {
            Path source = Portraits.source(images, work, 448, 448);
            Map<String, String> overrides = Portraits.dataOverrides(source, work);
            Path dataset = Portraits.dataset(source, work);
            overrides.putAll(Portraits.trainingOverrides(patch, "2", epochs, epochs));
            System.out.printf(Locale.ROOT, "shm:train's T-Net phase on %d %s portraits, patch %d, batch 8, %d epochs, "
                    + "%d cores%n", images, Portraits.describe(source), patch, epochs,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "  %-44s %10s %12s%n", "mode", "images/s", "last loss");
            Map<String, Parallelism> modes = new LinkedHashMap<>();
            modes.put("plain fit", Parallelism.single());
            modes.put(workers + " threads, averaged every " + every, new Parallelism(workers, every, null, Map.of()));
            String master = System.getProperty("master", "local[" + workers + "]");
            modes.put("Spark " + master + ", averaged every " + every, new Parallelism(workers, every, master,
                    Map.of()));
            for (Map.Entry<String, Parallelism> mode : modes.entrySet()) {
                Path trainUrl = Files.createTempDirectory(work, "train");
                List<Trainer.PhaseResult> results = TrainingProcess.run(new TrainingProcess.Launch(work, work, null,
                        overrides, dataset, trainUrl, List.of(Phase.PRE_TRAIN_T_NET), true,
                        TrainingProcess.Allocator.KEEP, mode.getValue()), classPath(), Progress.silent("bench"),
                        line -> { });
                Trainer.PhaseResult result = results.get(0);
                System.out.printf(Locale.ROOT, "  %-44s %10.3f %12.5f%n", mode.getKey(), result.imagesPerSecond(),
                        result.lastLoss());
                System.out.flush();
            }
            for (Networks.Kind kind : Networks.Kind.values()) {
                ComputationGraph graph = Networks.build(kind, 64, 1, 1e-3);
                long parameters = graph.numParams();
                long state = graph.getUpdater(true).getStateViewArray().length();
                double megabytes = 4.0 * (parameters + state) / 1e6;
                System.out.printf(Locale.ROOT, "  a round of %s: %,d parameters + %,d Adam state = %.1f MB to each worker "
                        + "and back (%.1f MB a round with %d workers)%n", kind, parameters, state, megabytes,
                        2 * megabytes * workers, workers);
            }
        } finally {
            AtomicFiles.deleteRecursively(work);
        }
    }

    /** This benchmark's classpath, under exec:java (its class loader's) or a plain java -cp. */
    private static List<Path> classPath() {
        List<Path> entries = new ArrayList<>();
        if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
            for (URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()));
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(url.toString(), e);
                }
            }
        }
        if (entries.isEmpty()) {
            Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                    .forEach(entries::add);
        }
        return entries;
    }
}
