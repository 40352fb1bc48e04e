package dev.shm.bench;

import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.data.SyntheticPortraits;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.matte.Background;
import dev.shm.runtime.matte.Matting;
import dev.shm.runtime.matte.ModelSpec;
import dev.shm.runtime.matte.OnnxRuntimePredictor;
import dev.shm.runtime.matte.PhotoMatting;
import dev.shm.runtime.matte.Preprocessing;
import dev.shm.runtime.matte.Refinement;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.onnx.OnnxExporter;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Photos per second of shm:matte's front end (decode, resize, normalise, network, refinement, encode, write) against
 * the bare ONNX Runtime call at batch 1 on the same inputs, in one JVM: {@code photos} 600x800 JPEGs (eg1800's under
 * {@code -Dshm.sharedData}, else synthetic portraits), the network at {@code size} ({@code -Dmodel=FILE.onnx}, else
 * shm's network with fresh weights, which costs the same).
 */
public final class MatteBench {
    private MatteBench() {
    }

    public static void main(String[] args) throws IOException {
        int count = Integer.getInteger("photos", 40);
        int size = Integer.getInteger("size", 320);
        Path work = Files.createTempDirectory("shm-bench-matte");
        Path photos = photos(work.resolve("photos"), count);
        String given = System.getProperty("model");
        Path model = given != null ? Path.of(given) : Files.write(work.resolve("shm_export.onnx"),
                OnnxExporter.export(Networks.build(Networks.Kind.END_TO_END, size, 3, 1e-4), 1, size, 11,
                        new MeanStd(0, new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25}, null, null)
                                .clip()));
        System.out.printf(Locale.ROOT, "shm:matte on %d %s photos, model %s, %d cores%n", count,
                given == null ? "600x800" : "", model.getFileName(), Runtime.getRuntime().availableProcessors());
        String[][] variants = {
            {"alpha + cutout, refinement none", "none", "cutout"},
            {"alpha + cutout, refinement guided", "guided", "cutout"},
            {"alpha only, refinement none", "none", "matte"},
            {"alpha + composite on a colour, guided", "guided", "composite"},
        };
        int rounds = Integer.getInteger("rounds", 3);
        double bare = 0;
        double[] best = new double[variants.length];
        try (Matting matting = Matting.open(model, ModelSpec.FROM_MODEL, 1)) {
            PhotoMatting.run(matting, model, new PhotoMatting.Options(photos, work.resolve("warm-up"), null, false),
                    Progress.silent("bench"));
            for (int round = 0; round < rounds; round++) {
                bare = Math.max(bare, bare(model, photos));
                for (int v = 0; v < variants.length; v++) {
                    Matting refined = matting.refinedBy(Refinement.parse(variants[v][1]));
                    PhotoMatting.Options options = new PhotoMatting.Options(photos,
                            work.resolve("out-" + round + "-" + v),
                            variants[v][2].equals("composite") ? Background.parse("#2060a0") : null,
                            variants[v][2].equals("matte"));
                    best[v] = Math.max(best[v], PhotoMatting.run(refined, model, options, Progress.silent("bench"))
                            .photosPerSecond());
                }
            }
        }
        System.out.printf(Locale.ROOT, "best of %d rounds, each the bare call then every variant%n", rounds);
        System.out.printf(Locale.ROOT, "%-44s %8.2f photos/s%n", "bare ONNX Runtime call, batch 1, all cores", bare);
        for (int v = 0; v < variants.length; v++) {
            System.out.printf(Locale.ROOT, "%-44s %8.2f photos/s  %.2fx the bare call%n", variants[v][0], best[v],
                    best[v] / bare);
        }
    }

    /** The network alone, one photo at a time on inputs prepared beforehand, as photos per second. */
    private static double bare(Path model, Path photos) throws IOException {
        try (OnnxRuntimePredictor predictor = OnnxRuntimePredictor.open(Files.readAllBytes(model), "bench")) {
            int size = predictor.inputSize();
            List<float[]> inputs;
            try (Stream<Path> files = Files.list(photos)) {
                inputs = files.sorted().map(f -> Preprocessing.networkInput(f, size, predictor.normalisation()))
                        .toList();
            }
            predictor.run(inputs.get(0), size);
            long started = System.nanoTime();
            for (float[] input : inputs) {
                predictor.run(input, size);
            }
            return inputs.size() / ((System.nanoTime() - started) / 1e9);
        }
    }

    private static Path photos(Path folder, int count) throws IOException {
        Files.createDirectories(folder);
        String shared = System.getProperty("shm.sharedData");
        Path eg1800 = shared == null ? null : Path.of(shared, "eg1800", "images");
        if (eg1800 != null && Files.isDirectory(eg1800)) {
            try (Stream<Path> files = Files.list(eg1800)) {
                for (Path photo : files.sorted().limit(count).toList()) {
                    Files.copy(photo, folder.resolve(photo.getFileName()));
                }
            }
            return folder;
        }
        for (int i = 0; i < count; i++) {
            Raster image = SyntheticPortraits.render(600, 800, 9527, i).image();
            Files.write(folder.resolve(String.format(Locale.ROOT, "portrait-%03d.jpg", i)), Codecs.encodeJpeg(image, 90));
        }
        return folder;
    }
}
