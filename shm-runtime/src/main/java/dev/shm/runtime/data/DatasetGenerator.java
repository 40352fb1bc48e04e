package dev.shm.runtime.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.Version;
import dev.shm.runtime.config.GenerateDataConfig;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.io.RealPaths;
import dev.shm.runtime.io.Stamps;
import dev.shm.runtime.io.Threads;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code generate-data}: a source dataset in, the seed's train/eval/test layout out (docs/MODEL.md §3.2), with lists, a
 * debug subset, mean/std and a report of every file left out. Output is built beside its target and swapped in
 * whole; a stamp with the fingerprint of the inputs makes an unchanged re-run a no-op.
 */
public final class DatasetGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SAMPLE_FOLDERS = {
        DatasetFolders.CLIP_IMG, DatasetFolders.MATTING, DatasetFolders.MASK, DatasetFolders.ALPHA, DatasetFolders.TRIMAP
    };
    private static final String FLAT = "_samples";
    private static final String STAGING_MARKER = ".shm-staging";

    private final GenerateDataConfig config;
    private final long seed;
    private final Path workDir;
    private final Progress progress;

    /**
     * @param workDir where the embedded synthetic source is written when the configuration names no source
     */
    public DatasetGenerator(GenerateDataConfig config, long seed, Path workDir, Progress progress) {
        this.config = config;
        this.seed = seed;
        this.workDir = workDir;
        this.progress = progress;
    }

    /** What a run did: the datasets, their split sizes, how many source files were left out, and the speed. */
    public record Result(boolean upToDate, Path dataset, Path debugDataset, Map<Split, Integer> counts,
            Map<Split, Integer> debugCounts, int skippedFiles, double imagesPerSecond) {
    }

    public Result run(boolean force) {
        Path source = config.usesSyntheticSource()
                ? SyntheticPortraits.ensure(workDir.resolve("synthetic_source"), config.synthetic(), seed, progress)
                : config.pathMtHuman();
        SourceLayout layout = SourceLayout.detect(source);
        Set<Path> errorFiles = new LinkedHashSet<>();
        for (Path p : config.listErrorFiles()) {
            errorFiles.add(p.toAbsolutePath().normalize());
        }
        SourceLayout.Scan scan = layout.scan(source, errorFiles);
        progress.info("Source " + source + " (" + layout.name().toLowerCase(Locale.ROOT) + " layout): "
                + scan.samples().size() + " pairs, " + scan.skipped().size() + " files left out");

        String fingerprint = fingerprint(source, scan);
        Path dataset = config.pathSave();
        Path debug = config.generateDebug() ? config.pathDebug() : null;
        if (!force && stampMatches(dataset, fingerprint) && (debug == null || stampMatches(debug, fingerprint))) {
            progress.info("Dataset " + dataset + " is up to date with its source and configuration, skipping "
                    + "(force to generate it again)");
            return new Result(true, dataset, debug, readCounts(dataset), debug == null ? Map.of() : readCounts(debug),
                    scan.skipped().size(), 0);
        }
        checkTargets(config, workDir);
        if (debug != null) {
            if (debug.startsWith(dataset) || dataset.startsWith(debug)) {
                throw new ShmException("generate_data.path_debug (" + debug + ") and generate_data.path_save (" + dataset
                        + ") must not contain one another; give them separate folders");
            }
        }

        Path staging = stagingFor(dataset);
        List<Skipped> skipped = new ArrayList<>(scan.skipped());
        long started = System.nanoTime();
        List<SampleProcessor.Processed> usable = processAll(scan.samples(), staging.resolve(FLAT), skipped);
        double imagesPerSecond = scan.samples().size() / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        for (Skipped s : skipped) {
            progress.warn("Skipped " + s);
        }
        if (usable.isEmpty()) {
            AtomicFiles.deleteRecursively(staging);
            throw new ShmException("No usable image/matte pair in " + source + ": " + skipped.size()
                    + " files left out (reasons above); fix the source or point generate_data.path_mt_human elsewhere");
        }

        List<SampleProcessor.Processed> shuffled = new ArrayList<>(usable);
        Collections.shuffle(shuffled, new Random(seed));
        int[] sizes = Split.sizes(shuffled.size(), config.proportion());
        Map<Split, List<SampleProcessor.Processed>> splits = new EnumMap<>(Split.class);
        int from = 0;
        for (Split split : Split.values()) {
            splits.put(split, shuffled.subList(from, from + sizes[split.ordinal()]));
            from += sizes[split.ordinal()];
        }
        String splitNote = String.format(Locale.ROOT,
                "seeded shuffle (seed %d) of the %d usable samples sorted by name, then proportion %s: "
                        + "train %d, eval %d, test %d",
                seed, usable.size(), config.proportion(), sizes[0], sizes[1], sizes[2]);
        progress.info("Split: " + splitNote);

        for (Split split : Split.values()) {
            moveIntoSplit(staging, split, splits.get(split));
        }
        AtomicFiles.deleteRecursively(staging.resolve(FLAT));
        writeSidecars(staging, source, layout, splits, splitNote, skipped, fingerprint, true);

        if (debug != null) {
            Path debugStaging = stagingFor(debug);
            Map<Split, List<SampleProcessor.Processed>> debugSplits = debugSubset(splits);
            for (Split split : Split.values()) {
                copySplit(staging, debugStaging, split, debugSplits.get(split));
            }
            String debugNote = String.format(Locale.ROOT,
                    "the first %d/%d/%d samples of the train/eval/test splits of %s (debug_pic_nums %d)",
                    debugSplits.get(Split.TRAIN).size(), debugSplits.get(Split.EVAL).size(),
                    debugSplits.get(Split.TEST).size(), dataset, config.debugPicNums());
            writeSidecars(debugStaging, source, layout, debugSplits, debugNote, List.of(), fingerprint, false);
            AtomicFiles.publishDirectory(staging, dataset);
            AtomicFiles.publishDirectory(debugStaging, debug);
            progress.info("Debug dataset " + debug + ": " + debugNote);
        } else {
            AtomicFiles.publishDirectory(staging, dataset);
        }
        progress.info(String.format(Locale.ROOT, "Dataset %s: train %d, eval %d, test %d; %d files left out "
                + "(see %s); %.1f images/s", dataset, sizes[0], sizes[1], sizes[2], skipped.size(),
                DatasetFolders.REPORT, imagesPerSecond));
        return new Result(false, dataset, debug, readCounts(dataset), debug == null ? Map.of() : readCounts(debug),
                skipped.size(), imagesPerSecond);
    }

    private List<SampleProcessor.Processed> processAll(List<SourceSample> samples, Path flat, List<Skipped> skipped) {
        SampleProcessor processor = new SampleProcessor(config, seed, flat);
        int threads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        Progress.Task task = progress.task("generate-data", samples.size(), "images");
        ExecutorService pool = Threads.daemonPool(threads, "shm-generate-data");
        try {
            List<Future<SampleProcessor.Outcome>> futures = new ArrayList<>();
            for (SourceSample sample : samples) {
                futures.add(pool.submit(() -> {
                    SampleProcessor.Outcome outcome = processor.process(sample);
                    task.advance(1);
                    return outcome;
                }));
            }
            List<SampleProcessor.Processed> usable = new ArrayList<>();
            for (Future<SampleProcessor.Outcome> future : futures) {
                SampleProcessor.Outcome outcome = Threads.await(future, "generate-data was interrupted; the partial "
                        + "output is left in a staging folder and will be replaced by the next run", "generate-data failed");
                if (outcome.processed() != null) {
                    usable.add(outcome.processed());
                } else {
                    skipped.add(outcome.skipped());
                }
            }
            task.finish();
            return usable;
        } finally {
            pool.shutdownNow();
        }
    }

    private void moveIntoSplit(Path staging, Split split, List<SampleProcessor.Processed> members) {
        Path splitDir = staging.resolve(split.dirName());
        List<String> lines = new ArrayList<>();
        try {
            Files.createDirectories(splitDir);
            for (SampleProcessor.Processed p : members) {
                for (String file : files(p)) {
                    Path flatFile = staging.resolve(FLAT).resolve(file);
                    if (Files.exists(flatFile)) {
                        Path target = splitDir.resolve(file);
                        Files.createDirectories(target.getParent());
                        Files.move(flatFile, target);
                    }
                }
                lines.add(listLine(splitDir, p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot arrange the " + split.dirName() + " split in " + staging, e);
        }
        writeList(splitDir, split, lines);
    }

    private void copySplit(Path fromStaging, Path toStaging, Split split, List<SampleProcessor.Processed> members) {
        Path fromDir = fromStaging.resolve(split.dirName());
        Path toDir = toStaging.resolve(split.dirName());
        List<String> lines = new ArrayList<>();
        try {
            Files.createDirectories(toDir);
            for (SampleProcessor.Processed p : members) {
                for (String file : files(p)) {
                    Path source = fromDir.resolve(file);
                    if (Files.exists(source)) {
                        Path target = toDir.resolve(file);
                        Files.createDirectories(target.getParent());
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                lines.add(listLine(toDir, p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the debug " + split.dirName() + " split to " + toStaging, e);
        }
        writeList(toDir, split, lines);
    }

    private void writeList(Path splitDir, Split split, List<String> lines) {
        if (!config.generateTxt()) {
            return;
        }
        try {
            Files.writeString(splitDir.resolve(split.listName()),
                    lines.isEmpty() ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + split.listName() + " in " + splitDir, e);
        }
    }

    private String listLine(Path splitDir, SampleProcessor.Processed p) {
        Path image = config.copyPic() ? splitDir.resolve(p.imageFile()) : p.sample().image();
        Path matte;
        if (config.generateAlpha()) {
            matte = splitDir.resolve(p.png(DatasetFolders.ALPHA));
        } else if (config.generateMask()) {
            matte = splitDir.resolve(p.png(DatasetFolders.MASK));
        } else if (config.copyPic()) {
            matte = splitDir.resolve(p.png(DatasetFolders.MATTING));
        } else {
            matte = p.sample().matte();
        }
        return DatasetLists.line(splitDir, image, matte);
    }

    private static List<String> files(SampleProcessor.Processed p) {
        List<String> files = new ArrayList<>();
        for (String folder : SAMPLE_FOLDERS) {
            files.add(folder.equals(DatasetFolders.CLIP_IMG) ? p.imageFile() : p.png(folder));
        }
        return files;
    }

    private Map<Split, List<SampleProcessor.Processed>> debugSubset(Map<Split, List<SampleProcessor.Processed>> splits) {
        int[] wanted = Split.sizes(config.debugPicNums(), config.proportion());
        Map<Split, List<SampleProcessor.Processed>> subset = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            List<SampleProcessor.Processed> members = splits.get(split);
            subset.put(split, members.subList(0, Math.min(members.size(), wanted[split.ordinal()])));
        }
        return subset;
    }

    private void writeSidecars(Path staging, Path source, SourceLayout layout,
            Map<Split, List<SampleProcessor.Processed>> splits, String splitNote, List<Skipped> skipped,
            String fingerprint, boolean logStats) {
        if (config.generateMeanStd()) {
            ChannelStats clip = new ChannelStats(3);
            ChannelStats trimap = config.generateTrimap() ? new ChannelStats(1) : null;
            int images = 0;
            for (Split split : List.of(Split.TRAIN, Split.EVAL)) {
                for (SampleProcessor.Processed p : splits.get(split)) {
                    clip.add(p.clip());
                    if (trimap != null) {
                        trimap.add(p.trimap());
                    }
                    images++;
                }
            }
            if (images == 0) {
                progress.warn("No train or eval image in " + staging.getFileName() + ": mean/std not written");
            } else {
                MeanStd meanStd = MeanStd.of(images, clip, trimap);
                writeText(staging.resolve(DatasetFolders.MEAN_STD), meanStd.toJson());
                if (logStats) {
                    progress.info("Total images: " + images);
                    progress.info("mean_clip: " + format(meanStd.meanClip()) + " std_clip: " + format(meanStd.stdClip()));
                }
            }
        }
        StringBuilder report = new StringBuilder();
        report.append("source: ").append(source).append(" (").append(layout.name().toLowerCase(Locale.ROOT))
                .append(" layout)\n");
        report.append("split: ").append(splitNote).append('\n');
        for (Split split : Split.values()) {
            report.append(split.dirName()).append(": ").append(splits.get(split).size()).append('\n');
        }
        report.append("skipped: ").append(skipped.size()).append('\n');
        for (Skipped s : skipped) {
            report.append("skipped ").append(s).append('\n');
        }
        writeText(staging.resolve(DatasetFolders.REPORT), report.toString());

        ObjectNode stamp = JSON.createObjectNode();
        stamp.put("fingerprint", fingerprint);
        stamp.put("shm_version", Version.get());
        stamp.put("source", source.toString());
        stamp.put("layout", layout.name().toLowerCase(Locale.ROOT));
        stamp.put("seed", seed);
        stamp.put("split", splitNote);
        ObjectNode counts = stamp.putObject("counts");
        for (Split split : Split.values()) {
            counts.put(split.dirName(), splits.get(split).size());
        }
        stamp.put("skipped", skipped.size());
        try {
            writeText(staging.resolve(DatasetFolders.STAMP), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(stamp));
            Files.delete(staging.resolve(STAGING_MARKER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String fingerprint(Path source, SourceLayout.Scan scan) {
        StringBuilder text = new StringBuilder();
        text.append(Version.get()).append('\n').append(seed).append('\n').append(config).append('\n');
        text.append(source.toAbsolutePath().normalize()).append('\n');
        for (SourceSample sample : scan.samples()) {
            text.append(sample.name()).append(' ').append(Stamps.describe(sample.image())).append(' ')
                    .append(Stamps.describe(sample.matte())).append('\n');
        }
        for (Skipped s : scan.skipped()) {
            text.append("skipped ").append(s).append('\n');
        }
        return Stamps.sha256(text.toString());
    }

    private static boolean stampMatches(Path dataset, String fingerprint) {
        Path stamp = dataset.resolve(DatasetFolders.STAMP);
        if (!Files.isRegularFile(stamp)) {
            return false;
        }
        try {
            return fingerprint.equals(JSON.readTree(stamp.toFile()).path("fingerprint").asText());
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<Split, Integer> readCounts(Path dataset) {
        try {
            JsonNode counts = JSON.readTree(dataset.resolve(DatasetFolders.STAMP).toFile()).path("counts");
            Map<Split, Integer> result = new EnumMap<>(Split.class);
            for (Split split : Split.values()) {
                result.put(split, counts.path(split.dirName()).asInt());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses outputs that would land in the source dataset, comparing real paths (links followed), or replace
     * files that generate-data did not make. {@code workDir} is where the build writes its own files.
     */
    public static void checkTargets(GenerateDataConfig config, Path workDir) {
        Path source = config.usesSyntheticSource() ? null : config.pathMtHuman();
        if (source != null) {
            checkOutside(workDir, source, "the output directory", ShmException.Fix.OUTPUT_DIRECTORY);
        }
        checkTarget(config.pathSave(), source, "generate_data.path_save");
        if (config.generateDebug()) {
            checkTarget(config.pathDebug(), source, "generate_data.path_debug");
        }
    }

    private static void checkOutside(Path target, Path source, String key, ShmException.Fix fix) {
        if (RealPaths.overlap(target, source)) {
            Path t = RealPaths.of(target);
            throw new ShmException(key + " (" + target + (t.equals(target.toAbsolutePath().normalize()) ? ""
                    : ", really " + t) + ") overlaps the source dataset " + source
                    + "; generate-data never writes into its source, so choose a folder outside it", fix);
        }
    }

    private static void checkTarget(Path target, Path source, String key) {
        Path t = target.toAbsolutePath().normalize();
        if (source != null) {
            checkOutside(target, source, key, null);
        }
        if (Files.isRegularFile(t)) {
            throw new ShmException(key + " (" + target + ") is a file; expected a folder for the generated dataset");
        }
        if (Files.isDirectory(t) && !Files.exists(t.resolve(DatasetFolders.STAMP)) && !isEmpty(t)) {
            throw new ShmException(key + " (" + target + ") already holds files that shm:generate-data did not make "
                    + "(no " + DatasetFolders.STAMP + "); choose an empty or new folder so nothing of yours is replaced");
        }
    }

    private static Path stagingFor(Path target) {
        Path staging = target.toAbsolutePath().normalize().resolveSibling("." + target.getFileName() + ".partial");
        if (Files.exists(staging)) {
            if (!Files.exists(staging.resolve(STAGING_MARKER)) && !Files.exists(staging.resolve(DatasetFolders.STAMP))) {
                throw new ShmException(staging + " exists and was not made by shm:generate-data; move it away so the "
                        + "dataset can be staged there");
            }
            AtomicFiles.deleteRecursively(staging);
        }
        try {
            Files.createDirectories(staging);
            Files.writeString(staging.resolve(STAGING_MARKER), "partial output of shm:generate-data\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the staging folder " + staging, e);
        }
        return staging;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeText(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String format(double[] values) {
        String[] parts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            parts[i] = String.format(Locale.ROOT, "%.5f", values[i]);
        }
        return "[" + String.join(", ", parts) + "]";
    }
}
