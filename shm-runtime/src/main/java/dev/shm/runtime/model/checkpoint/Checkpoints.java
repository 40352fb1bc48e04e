package dev.shm.runtime.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.model.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Checkpoint files ({@code .ckpt}): DL4J's model zip (configuration, weights, optimiser state) with one more entry,
 * {@code shm-state.json}. They are written under a temporary name and renamed, so a file with the final name is
 * always whole; a zip without that entry is not a shm checkpoint.
 */
public final class Checkpoints {
    public static final String EXTENSION = ".ckpt";
    static final String STATE_ENTRY = "shm-state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    /** A checkpoint read back: the network and its state. */
    public record Loaded(ComputationGraph graph, CheckpointState state) {
    }

    public static void write(Path target, ComputationGraph graph, CheckpointState state) {
        try {
            AtomicFiles.write(target, temporary -> {
                ModelSerializer.writeModel(graph, temporary.toFile(), true);
                try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + temporary.toUri()), Map.of())) {
                    Files.writeString(zip.getPath(STATE_ENTRY), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state),
                            StandardCharsets.UTF_8);
                }
            });
        } catch (UncheckedIOException e) {
            throw new ShmException("Cannot write the checkpoint " + target + ": " + e.getCause().getMessage(), e);
        }
    }

    /** Reads only the state, cheaply; fails naming the file when it is not a whole shm checkpoint. */
    public static CheckpointState readState(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ShmException("The checkpoint " + file + " does not exist; train first with shm:train or point "
                    + "the configuration at an existing checkpoint");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(STATE_ENTRY);
            if (entry == null) {
                throw new ShmException("The file " + file + " is not a shm checkpoint (no " + STATE_ENTRY
                        + "); use a semantic_hm_*.ckpt written by shm:train");
            }
            return JSON.readValue(zip.getInputStream(entry), CheckpointState.class);
        } catch (IOException e) {
            throw new ShmException("The checkpoint " + file + " is corrupt or truncated (" + e.getMessage()
                    + "); delete it, or train again from scratch", ShmException.Fix.FORCE, e);
        }
    }

    public static Loaded read(Path file, boolean withUpdater) {
        CheckpointState state = readState(file);
        Backend.init();
        try {
            return new Loaded(ModelSerializer.restoreComputationGraph(file.toFile(), withUpdater), state);
        } catch (IOException | RuntimeException e) {
            throw new ShmException("The checkpoint " + file + " cannot be restored (" + e.getMessage()
                    + "); delete it, or train again from scratch", ShmException.Fix.FORCE, e);
        }
    }
}
