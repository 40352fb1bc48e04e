package dev.shm.runtime.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The seed's text logs: {@code log_latest.txt} (every step and epoch) and {@code log_best.txt} (each new best eval
 * SAD), in the phase's folder and, prefixed with the phase, in the checkpoint version's folder for all phases; and
 * their picture, {@link TrainingCurves#FILE}, in the phase's folder.
 */
final class PhaseLog {
    static final String LATEST = "log_latest.txt";
    static final String BEST = "log_best.txt";

    private final Path dir;
    private final Path root;
    private final String phase;

    PhaseLog(Path dir, Path root, String phase, boolean fresh) {
        this.dir = dir;
        this.root = root;
        this.phase = phase;
        try {
            Files.createDirectories(dir);
            if (fresh) {
                Files.writeString(dir.resolve(LATEST), "", StandardCharsets.UTF_8);
                Files.writeString(dir.resolve(BEST), "", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the training logs in " + dir, e);
        }
    }

    void step(int epoch, int step, double loss, double seconds) {
        write(LATEST, String.format(Locale.ROOT, "train epoch: %d step: %d, loss: %.9f, speed: %.6f", epoch, step, loss,
                seconds));
    }

    void epoch(int epoch, double meanLoss, double sad, EpochTimes times) {
        write(LATEST, String.format(Locale.ROOT, "epoch: %d, mean loss: %.9f%s, time: %.1f s, steps: %.1f s, "
                + "images/s: %.3f, data wait: %.2f s, batch-norm statistics: %.1f s, eval: %.1f s", epoch, meanLoss,
                Double.isNaN(sad) ? "" : String.format(Locale.ROOT, ", eval sad: %.6f", sad), times.seconds(),
                times.steps(), times.imagesPerSecond(), times.dataWait(), times.statistics(), times.eval()));
        TrainingCurves.write(dir, phase);
    }

    void best(int epoch, double sad) {
        write(BEST, String.format(Locale.ROOT, "epoch: %d, best sad: %.6f", epoch, sad));
    }

    private void write(String file, String line) {
        try {
            Files.writeString(dir.resolve(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Files.writeString(root.resolve(file), phase + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve(file), e);
        }
    }
}
