package dev.shm.bench;

import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.data.DatasetGenerator;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * generate-data throughput on 200 real 600x800 portraits ({@code ../shared/data/eg1800}) or, when absent, 200
 * synthetic ones of the same size: one thread against all cores in one run, and a check that both wrote the same
 * bytes.
 */
public final class GenerateDataBench {
    private GenerateDataBench() {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path work = Files.createTempDirectory("shm-bench-generate-data");
        try {
            Path source = Portraits.source(n, work, 600, 800);
            int cores = Runtime.getRuntime().availableProcessors();
            run(source, work, 1, "warmup");
            double single = run(source, work, 1, "single");
            double all = run(source, work, cores, "all");
            boolean identical = sameBytes(work.resolve("single"), work.resolve("all"));
            System.out.printf(Locale.ROOT, "generate-data on %d %s portraits (600x800)%n", n,
                    Portraits.describe(source));
            System.out.printf(Locale.ROOT, "  1 thread : %7.1f images/s%n", single);
            System.out.printf(Locale.ROOT, "  %d threads: %7.1f images/s (%.2fx)%n", cores, all, all / single);
            System.out.printf(Locale.ROOT, "  byte-identical output: %s%n", identical);
        } finally {
            AtomicFiles.deleteRecursively(work);
        }
    }

    private static double run(Path source, Path work, int threads, String name) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("generate_data.path_mt_human", source.toString());
        overrides.put("generate_data.path_save", work.resolve(name).toString());
        overrides.put("generate_data.generate_debug", "false");
        overrides.put("generate_data.threads", Integer.toString(threads));
        ShmConfig config = new ConfigLoader(work, work).load(null, overrides);
        return new DatasetGenerator(config.generateData(), config.seed(), work, Progress.silent("bench"))
                .run(true).imagesPerSecond();
    }

    private static boolean sameBytes(Path a, Path b) throws IOException {
        Map<String, byte[]> left = tree(a);
        Map<String, byte[]> right = tree(b);
        if (!left.keySet().equals(right.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> entry : left.entrySet()) {
            if (entry.getKey().endsWith(".shm-dataset.json") || entry.getKey().endsWith("generate_data_report.txt")) {
                continue;
            }
            if (!Arrays.equals(entry.getValue(), right.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }
}
