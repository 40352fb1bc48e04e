package dev.shm.maven;

import dev.shm.runtime.config.Phase;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.model.checkpoint.CheckpointFolder;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;

/** What the goals that train or read the trained model share: where the checkpoints are. */
public abstract class AbstractModelMojo extends AbstractShmMojo {
    /** Where shm:train writes its checkpoints and the other goals find them; unset: the output directory. */
    @Parameter(property = "shm.trainUrl")
    private File trainUrl;

    /** The folder that holds {@code <ckpt_version>/<phase>/}. */
    protected Path checkpointRoot() {
        return trainUrl != null ? resolve(trainUrl) : outputPath();
    }

    /** end_to_end's best checkpoint, else its final one. */
    protected Path defaultModel(ShmConfig config) {
        return CheckpointFolder.of(checkpointRoot(), config.ckptVersion(), Phase.END_TO_END).model();
    }

    @Override
    protected List<Path> writes(ShmConfig config) {
        return List.of(outputPath(), checkpointRoot());
    }
}
