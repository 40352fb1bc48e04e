package dev.shm.runtime.matte;

import static dev.shm.runtime.io.FileNames.extension;
import static dev.shm.runtime.io.FileNames.stem;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.PngWriter;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.io.RealPaths;
import dev.shm.runtime.io.Stamps;
import dev.shm.runtime.io.Threads;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Photos to mattes: each photo of a file or folder becomes {@code alpha/<stem>.png} (8-bit, at the photo's size;
 * usable as shm:eval's predictions) and, unless only the matte is asked for, {@code cutout/<stem>.png} (the photo
 * with that alpha) or, given a background, {@code composite/<stem>.png} (the photo on it) under the output folder.
 * Photos are matted side by side, one a core where the network runs on one core a photo. A photo that cannot be read is reported and
 * skipped; a photo whose outputs are newer than it and were made with the same model and options is skipped on a
 * rerun; nothing is ever written into the input.
 */
public final class PhotoMatting {
    public static final String ALPHA = "alpha";
    public static final String CUTOUT = "cutout";
    public static final String COMPOSITE = "composite";
    /** The stamp in the output folder naming the model and options the outputs were made with. */
    public static final String STAMP = ".shm-matte.sha256";
    private static final Set<String> EXTENSIONS = Set.of(".jpg", ".jpeg", ".png", ".webp", ".bmp");

    private PhotoMatting() {
    }

    /**
     * @param input a photo or a folder of photos
     * @param output the folder the outputs go to
     * @param background what {@code composite/} puts behind each photo, or {@code null} for RGBA cut-outs
     * @param matteOnly write {@code alpha/} only
     */
    public record Options(Path input, Path output, Background background, boolean matteOnly) {
        /** The folder besides {@code alpha/} these options write, or {@code null}. */
        String picture() {
            return matteOnly ? null : background == null ? CUTOUT : COMPOSITE;
        }

        String describe() {
            return (matteOnly ? "matte only" : background == null ? "cutout" : "composite on " + background.describe());
        }
    }

    /** A photo left out, and why. */
    public record Skipped(Path photo, String reason) {
    }

    /** How many photos were matted, found up to date or skipped, and the rate of the matted ones. */
    public record Result(int matted, int upToDate, List<Skipped> skipped, double photosPerSecond) {
    }

    /** Mattes every photo of {@code options.input()} into {@code options.output()} with {@code matting}. */
    public static Result run(Matting matting, Path model, Options options, Progress progress) {
        Path input = options.input();
        Path output = options.output();
        if (!Files.exists(input)) {
            throw new ShmException("The input " + input + " does not exist; give a photo or a folder of photos");
        }
        if (RealPaths.overlap(input, output)) {
            throw new ShmException("The output " + output + " and the input " + input + " overlap; shm never writes "
                    + "into its input, so choose an output folder outside it");
        }
        String fingerprint = Stamps.fingerprint("matte " + matting.describe() + "; " + options.describe(), model);
        Path stamp = output.resolve(STAMP);
        boolean sameModel = Stamps.upToDate(stamp, fingerprint);
        List<Path> todo = new ArrayList<>();
        int upToDate = 0;
        for (Path photo : photos(input)) {
            if (sameModel && outputs(photo, options).stream().allMatch(file -> newer(file, photo))) {
                upToDate++;
            } else {
                todo.add(photo);
            }
        }
        Progress.Task task = progress.task("matte", todo.size(), "photos");
        List<Skipped> skipped = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        int workers = Math.max(1, Math.min(todo.size(),
                Runtime.getRuntime().availableProcessors() / Math.max(1, matting.threadsPerPhoto())));
        ExecutorService pool = Threads.daemonPool(workers, "shm-matte");
        try {
            List<Future<?>> photos = new ArrayList<>();
            for (Path photo : todo) {
                photos.add(pool.submit(() -> {
                    Raster rgb = decode(photo);
                    if (rgb == null) {
                        Skipped unreadable = new Skipped(photo, "not a readable JPEG, PNG, WebP or BMP image");
                        skipped.add(unreadable);
                        progress.warn("Skipped " + photo + ": " + unreadable.reason());
                    } else {
                        write(photo, rgb, matting.matte(rgb), options);
                    }
                    task.advance(1);
                }));
            }
            for (Future<?> photo : photos) {
                Threads.await(photo, "Interrupted while matting", "Matting failed");
            }
        } finally {
            pool.shutdownNow();
        }
        task.finish();
        Stamps.record(stamp, fingerprint);
        int matted = todo.size() - skipped.size();
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        progress.info(String.format(Locale.ROOT, "Matted %d photos into %s (%.2f photos/s); %d up to date, %d skipped",
                matted, output, matted / seconds, upToDate, skipped.size()));
        List<Skipped> sorted = skipped.stream().sorted(Comparator.comparing(Skipped::photo)).toList();
        return new Result(matted, upToDate, sorted, matted / seconds);
    }

    /** The files {@code options} make of {@code photo}. */
    static List<Path> outputs(Path photo, Options options) {
        String name = stem(photo) + ".png";
        String picture = options.picture();
        return picture == null ? List.of(options.output().resolve(ALPHA).resolve(name))
                : List.of(options.output().resolve(ALPHA).resolve(name), options.output().resolve(picture).resolve(name));
    }

    private static void write(Path photo, Raster rgb, Matte alpha, Options options) {
        List<Path> files = outputs(photo, options);
        Raster gray = alpha.toRaster();
        AtomicFiles.write(files.get(0), PngWriter.encode(gray));
        if (files.size() > 1) {
            Raster picture = options.background() == null ? Matting.cutout(rgb, gray)
                    : options.background().behind(rgb, alpha);
            AtomicFiles.write(files.get(1), PngWriter.encode(picture));
        }
    }

    private static List<Path> photos(Path input) {
        if (!Files.isDirectory(input)) {
            return List.of(input);
        }
        try (Stream<Path> files = Files.list(input)) {
            return files.filter(Files::isRegularFile).filter(f -> EXTENSIONS.contains(extension(f))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + input, e);
        }
    }

    private static Raster decode(Path photo) {
        try {
            return Codecs.decodeRgb(Files.readAllBytes(photo));
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean newer(Path output, Path photo) {
        try {
            return Files.isRegularFile(output)
                    && Files.getLastModifiedTime(output).compareTo(Files.getLastModifiedTime(photo)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

}
