package dev.shm.runtime.model.checkpoint;

import dev.shm.runtime.config.Phase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A phase's checkpoints, {@code <trainUrl>/<ckpt_version>/<phase>/}: {@code semantic_hm_latest_<epoch>.ckpt} every
 * {@code save_epoch}, {@code semantic_hm_best.ckpt} by eval SAD, {@code semantic_hm_final.ckpt} when the phase ends,
 * and {@code previous/<time>/} with earlier runs moved aside. The one place that knows these names.
 */
public record CheckpointFolder(Path dir) {
    public static final String BEST = "semantic_hm_best" + Checkpoints.EXTENSION;
    public static final String FINAL = "semantic_hm_final" + Checkpoints.EXTENSION;
    public static final String PREVIOUS = "previous";
    private static final String LATEST_PREFIX = "semantic_hm_latest_";
    private static final Pattern LATEST = Pattern.compile(Pattern.quote(LATEST_PREFIX) + "(\\d+)"
            + Pattern.quote(Checkpoints.EXTENSION));

    /** The folder of {@code phase} under {@code trainUrl}. */
    public static CheckpointFolder of(Path trainUrl, String ckptVersion, Phase phase) {
        return new CheckpointFolder(trainUrl.resolve(ckptVersion).resolve(phase.key()));
    }

    public Path best() {
        return dir.resolve(BEST);
    }

    public Path finalCheckpoint() {
        return dir.resolve(FINAL);
    }

    public Path latest(int epoch) {
        return dir.resolve(LATEST_PREFIX + epoch + Checkpoints.EXTENSION);
    }

    /** The model a phase hands on: its best checkpoint where eval chose one, else its final one. */
    public Path model() {
        return Files.isRegularFile(best()) ? best() : finalCheckpoint();
    }

    /** The latest checkpoints, oldest epoch first. */
    public List<Path> latest() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> LATEST.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(CheckpointFolder::epochOf)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Deletes all but the newest {@code keep} latest checkpoints. */
    public void pruneLatest(int keep) {
        List<Path> latest = latest();
        for (int i = 0; i < latest.size() - keep; i++) {
            try {
                Files.deleteIfExists(latest.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + latest.get(i), e);
            }
        }
    }

    /**
     * Moves this folder's checkpoints, and the files named {@code alsoMove}, into {@code previous/<UTC time>/} so a
     * fresh run starts clean and loses nothing; the folder they went to, or {@code null} when there was nothing.
     */
    public Path moveAside(Set<String> alsoMove) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> ours = files.filter(file -> {
                String name = file.getFileName().toString();
                return name.startsWith("semantic_hm_") && name.endsWith(Checkpoints.EXTENSION) || alsoMove.contains(name);
            }).toList();
            if (ours.isEmpty()) {
                return null;
            }
            Path kept = dir.resolve(PREVIOUS).resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS'Z'")
                    .withZone(ZoneOffset.UTC).format(Instant.now()));
            Files.createDirectories(kept);
            for (Path file : ours) {
                Files.move(file, kept.resolve(file.getFileName()));
            }
            return kept;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the earlier run in " + dir + " aside", e);
        }
    }

    private static int epochOf(Path latest) {
        Matcher m = LATEST.matcher(latest.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
