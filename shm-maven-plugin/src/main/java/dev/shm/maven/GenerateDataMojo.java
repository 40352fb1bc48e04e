package dev.shm.maven;

import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.data.DatasetGenerator;
import dev.shm.runtime.progress.Progress;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Turns a portrait matting dataset (aisegment or paired layout, or the embedded synthetic portraits) into the seed's
 * train/eval/test layout with masks, trimaps, alphas, lists, a debug subset and mean/std.
 */
@Mojo(name = "generate-data", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class GenerateDataMojo extends AbstractShmMojo {

    /** The source dataset; stands for {@code generate_data.path_mt_human}. Unset: the embedded synthetic portraits. */
    @Parameter(property = "shm.source")
    private File source;

    @Override
    protected String goal() {
        return "generate-data";
    }

    @Override
    protected Map<String, String> parameterOverrides() {
        Map<String, String> map = new LinkedHashMap<>();
        if (source != null) {
            map.put("generate_data.path_mt_human", resolve(source).toString());
        }
        return map;
    }

    @Override
    protected void validate(ShmConfig config) {
        DatasetGenerator.checkTargets(config.generateData(), outputPath());
    }

    @Override
    protected List<Path> writes(ShmConfig config) {
        List<Path> folders = new ArrayList<>(List.of(outputPath(), config.generateData().pathSave().getParent()));
        if (config.generateData().generateDebug()) {
            folders.add(config.generateData().pathDebug().getParent());
        }
        return folders;
    }

    @Override
    protected void run(ShmConfig config, Progress progress) {
        DatasetGenerator.Result result =
                new DatasetGenerator(config.generateData(), config.seed(), outputPath(), progress).run(force);
        if (result.upToDate()) {
            upToDate();
        } else {
            getLog().info("shm:generate-data wrote " + result.dataset()
                    + (result.debugDataset() != null ? " and " + result.debugDataset() : ""));
        }
    }
}
