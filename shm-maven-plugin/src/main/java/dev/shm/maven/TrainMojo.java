package dev.shm.maven;

import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.train.Trainer;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Trains T-Net, M-Net and the whole network in the phases of the recipe, with checkpoints, resume and logs under
 * {@code <trainUrl>/<ckpt_version>/<phase>/}.
 */
@Mojo(name = "train", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class TrainMojo extends AbstractShmMojo {

    /** The dataset made by shm:generate-data; unset: {@code generate_data.path_save}. */
    @Parameter(property = "shm.dataUrl")
    private File dataUrl;

    /** Where checkpoints and logs go; unset: the output directory. */
    @Parameter(property = "shm.trainUrl")
    private File trainUrl;

    /** The phases to run, in the recipe's order whatever the order given here. */
    @Parameter(property = "shm.phases", defaultValue = "pre_train_t_net,end_to_end")
    private String phases;

    @Override
    protected String goal() {
        return "train";
    }

    @Override
    protected void run(ShmConfig config, Progress progress) {
        List<String> selected = new ArrayList<>();
        for (String phase : phases.split(",")) {
            if (!phase.isBlank()) {
                selected.add(phase.trim());
            }
        }
        var dataset = dataUrl != null ? baseDir().resolve(dataUrl.toPath()) : config.generateData().pathSave();
        var checkpoints = trainUrl != null ? baseDir().resolve(trainUrl.toPath()) : outputPath();
        List<Trainer.PhaseResult> results = new Trainer(progress)
                .run(new Trainer.Request(config, dataset, checkpoints, selected, force));
        for (Trainer.PhaseResult result : results) {
            getLog().info(String.format(Locale.ROOT, "%s: %s%s%s", result.phase(),
                    result.upToDate() ? "up to date, " : "", result.finalCheckpoint(),
                    Double.isNaN(result.bestSad()) ? ""
                            : String.format(Locale.ROOT, " (best eval sad %.4f: %s)", result.bestSad(), result.bestCheckpoint())));
        }
    }
}
