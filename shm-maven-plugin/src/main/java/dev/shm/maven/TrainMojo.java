package dev.shm.maven;

import dev.shm.runtime.config.Phase;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.train.Parallelism;
import dev.shm.runtime.train.Trainer;
import dev.shm.runtime.train.TrainingProcess;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Trains T-Net, M-Net and the whole network in the phases of the recipe, with checkpoints, resume and logs under
 * {@code <trainUrl>/<ckpt_version>/<phase>/}.
 */
@Mojo(name = "train", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class TrainMojo extends AbstractModelMojo {

    /** The dataset made by shm:generate-data; unset: {@code generate_data.path_save}. */
    @Parameter(property = "shm.dataUrl")
    private File dataUrl;


    /** The phases to run, in the recipe's order whatever the order given here. */
    @Parameter(property = "shm.phases", defaultValue = "pre_train_t_net,end_to_end")
    private String phases;

    /** Train in a JVM of its own, started with {@code allocator}'s settings; false trains in Maven's JVM. */
    @Parameter(property = "shm.fork", defaultValue = "true")
    private boolean fork;

    /**
     * glibc's allocator in the training JVM: {@code keep} keeps freed memory for the next allocation (fastest, more
     * memory held), {@code hugepages} maps large blocks in transparent huge pages, {@code system} leaves glibc's
     * defaults. The README's training figures compare them.
     */
    @Parameter(property = "shm.allocator", defaultValue = "keep")
    private String allocator;

    /**
     * Data-parallel training: this many copies of the network each fit their own batches and are averaged every
     * {@code averagingFrequency} steps of each; on threads of the training JVM, or with {@code sparkMaster} as Spark
     * tasks. Unset: 1 (a plain fit) without a master; with one, 0, which takes the cluster's default parallelism
     * over spark.task.cpus.
     */
    @Parameter(property = "shm.workers")
    private Integer workers;

    /** Steps each worker takes between two averagings of the workers' networks. */
    @Parameter(property = "shm.averagingFrequency", defaultValue = "5")
    private int averagingFrequency;

    /**
     * Train on Apache Spark: {@code local[N]}, {@code spark://host:7077}, {@code yarn}, {@code k8s://https://host}.
     * Needs dev.shm:shm-spark as a dependency of this plugin.
     */
    @Parameter(property = "shm.sparkMaster")
    private String sparkMaster;

    /** Spark settings, {@code key=value} separated by commas: {@code spark.executor.memory=8g,spark.task.cpus=4}. */
    @Parameter(property = "shm.sparkConf")
    private String sparkConf;

    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
    private List<Artifact> pluginArtifacts;

    private TrainingProcess.Allocator allocator() throws MojoFailureException {
        try {
            return TrainingProcess.Allocator.valueOf(allocator.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("shm.allocator is '" + allocator
                    + "': expected keep, hugepages or system (-Dshm.allocator=keep)");
        }
    }

    private List<Path> classPath() {
        return pluginArtifacts.stream().map(Artifact::getFile).filter(java.util.Objects::nonNull).map(File::toPath)
                .toList();
    }

    @Override
    protected String goal() {
        return "train";
    }

    @Override
    protected void run(ShmConfig config, Progress progress) throws MojoFailureException {
        List<Phase> selected = new ArrayList<>();
        for (String phase : phases.split(",")) {
            if (!phase.isBlank()) {
                selected.add(Phase.parse(phase));
            }
        }
        var dataset = dataUrl != null ? resolve(dataUrl) : config.generateData().pathSave();
        var checkpoints = checkpointRoot();
        var parallelism = Parallelism.of(workers, averagingFrequency, sparkMaster, sparkConf);
        parallelism.checkEngine();
        List<Trainer.PhaseResult> results = fork
                ? TrainingProcess.run(new TrainingProcess.Launch(baseDir(), outputPath(), configFile(),
                        configOverrides(), dataset, checkpoints, selected, force, allocator(), parallelism), classPath(),
                        progress, getLog()::debug)
                : new Trainer(progress).run(new Trainer.Request(config, dataset, checkpoints, selected, force,
                        parallelism));
        for (Trainer.PhaseResult result : results) {
            getLog().info(String.format(Locale.ROOT, "%s: %s%s%s", result.phase(),
                    result.upToDate() ? "up to date, " : "", result.finalCheckpoint(),
                    Double.isNaN(result.bestSad()) ? ""
                            : String.format(Locale.ROOT, " (best eval sad %.4f: %s)", result.bestSad(), result.bestCheckpoint())));
        }
        if (!results.isEmpty() && results.stream().allMatch(Trainer.PhaseResult::upToDate)) {
            upToDate();
        }
    }
}
