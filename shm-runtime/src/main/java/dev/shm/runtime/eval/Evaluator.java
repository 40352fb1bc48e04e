package dev.shm.runtime.eval;

import static dev.shm.runtime.io.FileNames.stem;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.data.DatasetFolders;
import dev.shm.runtime.data.DatasetLists;
import dev.shm.runtime.data.Trimaps;
import dev.shm.runtime.matte.MattePredictor;
import dev.shm.runtime.matte.Matting;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.io.FileNames;
import dev.shm.runtime.metrics.MattingMetrics;
import dev.shm.runtime.metrics.Metric;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code eval}: scores mattes against ground truth with SAD, MSE, Gradient and Connectivity (docs/MODEL.md §4).
 * Model mode follows the seed's protocol: resize the image to the network size, predict, resize the alpha back to
 * the original size (bicubic), clamp to [0, 1], compare at the original resolution. Predictions mode scores PNG
 * mattes made elsewhere by the same code.
 */
public final class Evaluator {
    public static final String PREDICTIONS = "predictions";

    /** Which pixels count: the whole image (the seed's protocol) or the trimap's unknown region. */
    public enum Region {
        WHOLE_IMAGE,
        UNKNOWN;

        /** {@code whole} (or {@code whole_image}) or {@code unknown}, in any case. */
        public static Region parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "whole", "whole_image" -> WHOLE_IMAGE;
                case "unknown" -> UNKNOWN;
                default -> throw new ShmException("region must be 'whole' or 'unknown', got '" + text + "'");
            };
        }
    }

    /** The trivial predictors every report compares a model with: alpha 0 everywhere and alpha 1 everywhere. */
    public static final String ALL_BACKGROUND = "all_background";
    public static final String ALL_FOREGROUND = "all_foreground";

    /**
     * One image's scores; {@code image} is the photo when known (model mode), else {@code null}. {@code trivialSad}
     * holds the SAD of {@link #ALL_BACKGROUND} and {@link #ALL_FOREGROUND} on the same pixels.
     */
    public record ImageResult(String name, Path image, Path truth, Path prediction, Map<Metric, Double> metrics,
            Map<String, Double> trivialSad, double millis) {
        public double sad() {
            return metrics.get(Metric.SAD);
        }
    }

    /**
     * All scores, their means, the trivial predictors' mean SAD on the same images (so a reader sees whether the model
     * learned anything), what was evaluated and how fast.
     */
    public record Report(String model, String data, Region region, List<ImageResult> images, Map<Metric, Double> mean,
            Map<String, Double> trivialSad, double imagesPerSecond) {

        /** The model's mean SAD over the better trivial predictor's: below 1 it beats both, near 0 it is good. */
        public double sadVsTrivial() {
            return Evaluator.sadVsTrivial(mean.get(Metric.SAD), trivialSad);
        }
    }

    /** {@code sad} over the lower of the trivial predictors' SADs (infinite when that is 0). */
    public static double sadVsTrivial(double sad, Map<String, Double> trivialSad) {
        double better = Math.min(trivialSad.get(ALL_BACKGROUND), trivialSad.get(ALL_FOREGROUND));
        return better > 0 ? sad / better : sad > 0 ? Double.POSITIVE_INFINITY : 0;
    }

    private final Path outputDir;
    private final Progress progress;

    public Evaluator(Path outputDir, Progress progress) {
        this.outputDir = outputDir;
        this.progress = progress;
    }

    public Report evaluateModel(MattePredictor predictor, Path testList, int size, Region region) {
        List<DatasetLists.Entry> entries = DatasetLists.read(testList);
        if (entries.isEmpty()) {
            throw new ShmException("The test list " + testList + " lists no sample; generate a dataset with a test split");
        }
        Path predictions = cleanFolder(outputDir.resolve(PREDICTIONS));
        List<ImageResult> results = new ArrayList<>();
        Progress.Task task = progress.task("eval", entries.size(), "images");
        Matting matting = new Matting(predictor, size);
        long started = System.nanoTime();
        for (DatasetLists.Entry entry : entries) {
            Raster image = Codecs.decodeRgb(read(entry.image()));
            if (image == null) {
                throw new ShmException("Cannot decode the test image " + entry.image());
            }
            Matte truth = decodeMatte(entry.matte());
            if (truth.width() != image.width() || truth.height() != image.height()) {
                throw new ShmException("The ground truth " + entry.matte() + " is " + truth.size() + " but its image "
                        + entry.image() + " is " + image.size() + "; regenerate the dataset");
            }
            long start = System.nanoTime();
            Matte alpha;
            try {
                alpha = matting.matte(image);
            } catch (ShmException e) {
                throw new ShmException(entry.image() + ": " + e.getMessage(), e);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            String name = stem(entry.image());
            Path predicted = predictions.resolve(name + ".png");
            AtomicFiles.write(predicted, Codecs.encodePng16(alpha));
            boolean[] pixels = region == Region.UNKNOWN ? unknownRegion(entry.matte(), truth) : null;
            ImageResult result = new ImageResult(name, entry.image(), entry.matte(), predicted, score(alpha, truth, pixels),
                    trivialSad(truth, pixels), millis);
            results.add(result);
            progress.info(String.format(Locale.ROOT, "%s sad: %.6f", entry.image(), result.sad()));
            task.advance(1);
        }
        task.finish();
        double rate = results.size() / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        return report(predictor.describe(), testList.toString(), region, results, rate);
    }

    public Report evaluatePredictions(Path predictions, Path groundTruth, Region region) {
        if (!Files.isDirectory(predictions)) {
            throw new ShmException("The predictions folder " + predictions + " does not exist");
        }
        if (!Files.isDirectory(groundTruth)) {
            throw new ShmException("The ground-truth folder " + groundTruth + " does not exist");
        }
        List<Path> files = pngs(predictions);
        if (files.isEmpty()) {
            throw new ShmException("The predictions folder " + predictions + " holds no PNG matte; expected one "
                    + "<name>.png per ground-truth matte in " + groundTruth);
        }
        Set<String> predicted = files.stream().map(FileNames::stem).collect(Collectors.toSet());
        List<String> unpredicted = pngs(groundTruth).stream().map(FileNames::stem).filter(n -> !predicted.contains(n))
                .toList();
        if (!unpredicted.isEmpty()) {
            throw new ShmException(unpredicted.size() + " ground-truth matte(s) in " + groundTruth
                    + " have no prediction in " + predictions + ": " + names(unpredicted)
                    + "; predict every image, or name a ground-truth folder holding only the scored ones",
                    ShmException.Fix.GROUND_TRUTH);
        }
        List<ImageResult> results = new ArrayList<>();
        long started = System.nanoTime();
        for (Path file : files) {
            String name = stem(file);
            Path truthFile = groundTruth.resolve(name + ".png");
            if (!Files.isRegularFile(truthFile)) {
                throw new ShmException("The prediction " + file + " has no ground truth: expected " + truthFile);
            }
            Matte alpha = decodeMatte(file).clamped();
            Matte truth = decodeMatte(truthFile);
            if (alpha.width() != truth.width() || alpha.height() != truth.height()) {
                throw new ShmException("The prediction " + file + " is " + alpha.size() + " but its ground truth "
                        + truthFile + " is " + truth.size());
            }
            boolean[] pixels = region == Region.UNKNOWN ? unknownOf(truth) : null;
            ImageResult result = new ImageResult(name, null, truthFile, file, score(alpha, truth, pixels),
                    trivialSad(truth, pixels), 0);
            results.add(result);
            progress.info(String.format(Locale.ROOT, "%s sad: %.6f", file, result.sad()));
        }
        double rate = results.size() / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        return report("predictions " + predictions, groundTruth.toString(), region, results, rate);
    }

    private static List<Path> pngs(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static String names(List<String> stems) {
        int shown = Math.min(5, stems.size());
        return String.join(", ", stems.subList(0, shown).stream().map(n -> n + ".png").toList())
                + (stems.size() > shown ? " and " + (stems.size() - shown) + " more" : "");
    }

    private Report report(String model, String data, Region region, List<ImageResult> results, double rate) {
        Map<Metric, Double> mean = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            mean.put(metric, results.stream().mapToDouble(r -> r.metrics().get(metric)).average().orElse(0));
        }
        Map<String, Double> trivial = new LinkedHashMap<>();
        for (String predictor : List.of(ALL_BACKGROUND, ALL_FOREGROUND)) {
            trivial.put(predictor, results.stream().mapToDouble(r -> r.trivialSad().get(predictor)).average().orElse(0));
        }
        progress.info(String.format(Locale.ROOT, "ave_sad: %.6f", mean.get(Metric.SAD)));
        progress.info(String.format(Locale.ROOT, "trivial predictors on the same images: all background sad %.6f, all "
                + "foreground sad %.6f; the model's sad is %.3f of the better one", trivial.get(ALL_BACKGROUND),
                trivial.get(ALL_FOREGROUND), sadVsTrivial(mean.get(Metric.SAD), trivial)));
        progress.info(String.format(Locale.ROOT, "mse: %.6f, grad: %.6f, conn: %.6f over %d images (%s), %.2f images/s",
                mean.get(Metric.MSE), mean.get(Metric.GRAD), mean.get(Metric.CONN), results.size(),
                region == Region.UNKNOWN ? "unknown region" : "whole image", rate));
        return new Report(model, data, region, List.copyOf(results), mean, trivial, rate);
    }

    static Map<Metric, Double> score(Matte alpha, Matte truth, boolean[] region) {
        Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
        metrics.put(Metric.SAD, MattingMetrics.sad(alpha.values(), truth.values(), region));
        metrics.put(Metric.MSE, MattingMetrics.mse(alpha.values(), truth.values(), region));
        metrics.put(Metric.GRAD, MattingMetrics.gradient(alpha.values(), truth.values(), alpha.width(), alpha.height(), region));
        metrics.put(Metric.CONN, MattingMetrics.connectivity(alpha.values(), truth.values(), alpha.width(), alpha.height(),
                region));
        return metrics;
    }

    static Map<String, Double> trivialSad(Matte truth, boolean[] region) {
        int pixels = truth.values().length;
        float[] ones = new float[pixels];
        java.util.Arrays.fill(ones, 1f);
        return Map.of(ALL_BACKGROUND, MattingMetrics.sad(new float[pixels], truth.values(), region),
                ALL_FOREGROUND, MattingMetrics.sad(ones, truth.values(), region));
    }

    /** The unknown region of the dataset's trimap for this matte, or of a trimap made from it. */
    private static boolean[] unknownRegion(Path matteFile, Matte truth) {
        Path trimapFile = matteFile.getParent().resolveSibling(DatasetFolders.TRIMAP).resolve(stem(matteFile) + ".png");
        if (Files.isRegularFile(trimapFile)) {
            Raster trimap = Codecs.decode(read(trimapFile));
            if (trimap != null && trimap.width() == truth.width() && trimap.height() == truth.height()) {
                boolean[] region = new boolean[trimap.width() * trimap.height()];
                for (int i = 0; i < region.length; i++) {
                    region[i] = (trimap.data()[i * trimap.channels()] & 0xFF) == Trimaps.UNKNOWN;
                }
                return region;
            }
        }
        return unknownOf(truth);
    }

    private static boolean[] unknownOf(Matte truth) {
        Raster trimap = Trimaps.fromMatte(truth.toRaster(), 10);
        boolean[] region = new boolean[trimap.data().length];
        for (int i = 0; i < region.length; i++) {
            region[i] = (trimap.data()[i] & 0xFF) == Trimaps.UNKNOWN;
        }
        return region;
    }

    private static Matte decodeMatte(Path file) {
        Matte matte = Codecs.decodeMatte(read(file));
        if (matte == null) {
            throw new ShmException("Cannot decode the matte " + file + "; expected an 8- or 16-bit PNG");
        }
        return matte;
    }

    private static Path cleanFolder(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        if (file.getFileName().toString().endsWith(".png")) {
                            Files.delete(file);
                        }
                    }
                }
            }
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ShmException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

}
