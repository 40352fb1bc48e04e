package dev.shm.runtime.matte;

import static dev.shm.runtime.io.FileNames.extension;
import static dev.shm.runtime.io.FileNames.stem;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.engine.Matting;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.io.RealPaths;
import dev.shm.runtime.io.Stamps;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Photos to mattes: each photo of a file or folder becomes {@code alpha/<stem>.png} (8-bit, at the photo's size;
 * usable as shm:eval's predictions) and {@code cutout/<stem>.png} (the photo with that alpha) under the output
 * folder. A photo that cannot be read is reported and skipped; a photo whose outputs are newer than it and were made
 * by the same model is skipped on a rerun; nothing is ever written into the input.
 */
public final class PhotoMatting {
    public static final String ALPHA = "alpha";
    public static final String CUTOUT = "cutout";
    /** The stamp in the output folder naming the model the outputs were made with. */
    public static final String STAMP = ".shm-matte.sha256";
    private static final Set<String> EXTENSIONS = Set.of(".jpg", ".jpeg", ".png", ".webp", ".bmp");

    private PhotoMatting() {
    }

    /** A photo left out, and why. */
    public record Skipped(Path photo, String reason) {
    }

    /** How many photos were matted, found up to date or skipped, and the rate of the matted ones. */
    public record Result(int matted, int upToDate, List<Skipped> skipped, double photosPerSecond) {
    }

    /** Mattes every photo of {@code input} (a photo or a folder of them) into {@code output} with {@code model}. */
    public static Result run(Matting matting, Path model, Path input, Path output, Progress progress) {
        if (!Files.exists(input)) {
            throw new ShmException("The input " + input + " does not exist; give a photo or a folder of photos");
        }
        if (RealPaths.overlap(input, output)) {
            throw new ShmException("The output " + output + " and the input " + input + " overlap; shm never writes "
                    + "into its input, so choose an output folder outside it");
        }
        List<Path> photos = photos(input);
        String fingerprint = Stamps.fingerprint("matte " + matting.size(), model);
        Path stamp = output.resolve(STAMP);
        boolean sameModel = Stamps.upToDate(stamp, fingerprint);
        List<Skipped> skipped = new ArrayList<>();
        int matted = 0;
        int upToDate = 0;
        Progress.Task task = progress.task("matte", photos.size(), "photos");
        long started = System.nanoTime();
        for (Path photo : photos) {
            String stem = stem(photo);
            Path alphaFile = output.resolve(ALPHA).resolve(stem + ".png");
            Path cutoutFile = output.resolve(CUTOUT).resolve(stem + ".png");
            if (sameModel && newer(alphaFile, photo) && newer(cutoutFile, photo)) {
                upToDate++;
                task.advance(1);
                continue;
            }
            Raster rgb = decode(photo);
            if (rgb == null) {
                Skipped unreadable = new Skipped(photo, "not a readable JPEG, PNG, WebP or BMP image");
                skipped.add(unreadable);
                progress.warn("Skipped " + photo + ": " + unreadable.reason());
                task.advance(1);
                continue;
            }
            Matte alpha = matting.matte(rgb);
            AtomicFiles.write(alphaFile, Codecs.encodePng(alpha.toRaster()));
            AtomicFiles.write(cutoutFile, Codecs.encodePng(Matting.cutout(rgb, alpha)));
            matted++;
            task.advance(1);
        }
        task.finish();
        Stamps.record(stamp, fingerprint);
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        progress.info(String.format(Locale.ROOT, "Matted %d photos into %s (%.2f photos/s); %d up to date, %d skipped",
                matted, output, matted / seconds, upToDate, skipped.size()));
        return new Result(matted, upToDate, List.copyOf(skipped), matted / seconds);
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
