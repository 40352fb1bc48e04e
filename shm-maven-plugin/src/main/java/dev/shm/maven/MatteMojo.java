package dev.shm.maven;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.engine.Matting;
import dev.shm.runtime.export.ModelExport;
import dev.shm.runtime.matte.PhotoMatting;
import dev.shm.runtime.progress.Progress;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Mattes photos with a trained model, in a project or without one:
 * {@code mvn dev.shm:shm-maven-plugin:<version>:matte -Dshm.input=DIR|FILE -Dshm.model=MODEL -Dshm.output=DIR}
 * writes {@code alpha/<name>.png} and {@code cutout/<name>.png} for every photo.
 */
@Mojo(name = "matte", requiresProject = false, threadSafe = true)
public class MatteMojo extends AbstractModelMojo {
    /** A photo (jpg, png, webp, bmp) or a folder of them; never written to. */
    @Parameter(property = "shm.input", required = true)
    private File input;

    /** An exported .onnx or a checkpoint; unset: the project's export, else end_to_end's best checkpoint. */
    @Parameter(property = "shm.model")
    private File model;

    /** Where {@code alpha/} and {@code cutout/} go; unset: {@code <outputDirectory>/matte}, or {@code ./matte} without a project. */
    @Parameter(property = "shm.output")
    private File output;

    @Override
    protected String goal() {
        return "matte";
    }

    @Override
    protected List<Path> writes(ShmConfig config) {
        return List.of(outputPath(), outputFolder());
    }

    /** Without a project the output folder also takes the goal's events and lock, instead of a target/ here. */
    @Override
    protected Path outputPath() {
        return standalone() ? outputFolder() : super.outputPath();
    }

    private Path outputFolder() {
        if (output != null) {
            return resolve(output);
        }
        return standalone() ? baseDir().resolve("matte") : super.outputPath().resolve("matte");
    }

    @Override
    protected void run(ShmConfig config, Progress progress) {
        Path chosen = model != null ? resolve(model) : defaultMatteModel(config);
        if (!Files.isRegularFile(chosen)) {
            throw new ShmException("The model " + chosen + " does not exist; give an exported .onnx or a checkpoint "
                    + "with -Dshm.model=<file>");
        }
        try (Matting matting = Matting.open(chosen)) {
            PhotoMatting.Result result = PhotoMatting.run(matting, chosen, resolve(input), outputFolder(), progress);
            getLog().info("shm:matte: " + result.matted() + " photos matted with " + matting.describe() + " into "
                    + outputFolder() + (result.skipped().isEmpty() ? "" : "; " + result.skipped().size() + " skipped"));
        }
    }

    private Path defaultMatteModel(ShmConfig config) {
        Path exported = ModelExport.Outputs.of(exportDirectory(), config.export().fileName()).onnx();
        return Files.isRegularFile(exported) ? exported : defaultModel(config);
    }
}
