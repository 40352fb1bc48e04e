package dev.shm.maven;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.engine.Engines;
import dev.shm.runtime.export.ModelExport;
import dev.shm.runtime.matte.Background;
import dev.shm.runtime.matte.Matting;
import dev.shm.runtime.matte.ModelSpec;
import dev.shm.runtime.matte.PhotoMatting;
import dev.shm.runtime.matte.Refinement;
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
 * writes {@code alpha/<name>.png} and {@code cutout/<name>.png} (or {@code composite/<name>.png} on a background) for
 * every photo. A model from elsewhere runs given what its file does not say: {@code shm.modelSize},
 * {@code shm.modelMean} and {@code shm.modelStd}, {@code shm.alphaOutput}.
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

    /** How the network's alpha becomes the photo's: {@code none} (bicubic), {@code guided} or {@code guided:R,EPS}. */
    @Parameter(property = "shm.refine", defaultValue = Refinement.DEFAULT)
    private String refine;

    /** A colour ({@code #RRGGBB}) or an image to put behind each photo, written to {@code composite/}. */
    @Parameter(property = "shm.background")
    private String background;

    /** Write {@code alpha/} only. */
    @Parameter(property = "shm.matteOnly", defaultValue = "false")
    private boolean matteOnly;

    /** For a model without shm's metadata: the side of its square input, where its input shape leaves it free. */
    @Parameter(property = "shm.modelSize")
    private Integer modelSize;

    /** For a model without shm's metadata: the RGB mean (0..1) its input is normalised with, {@code R,G,B}. */
    @Parameter(property = "shm.modelMean")
    private String modelMean;

    /** For a model without shm's metadata: the RGB std (0..1) its input is normalised with, {@code R,G,B}. */
    @Parameter(property = "shm.modelStd")
    private String modelStd;

    /** For a model with several outputs and none named {@code alpha}: the alpha's name or index (from 0). */
    @Parameter(property = "shm.alphaOutput")
    private String alphaOutput;

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
        ModelSpec spec;
        Refinement refinement;
        Background behind;
        try {
            spec = ModelSpec.parse(modelSize, modelMean, modelStd, alphaOutput);
            refinement = Refinement.parse(refine);
            behind = background == null || background.isBlank() ? null : Background.parse(
                    Background.isColour(background) ? background : resolve(new File(background)).toString());
        } catch (IllegalArgumentException e) {
            throw new ShmException("shm:matte: " + e.getMessage() + " (shm.modelSize, shm.modelMean, shm.modelStd, "
                    + "shm.alphaOutput, shm.refine)", e);
        }
        PhotoMatting.Options options = new PhotoMatting.Options(resolve(input), outputFolder(), behind, matteOnly);
        try (Matting matting = Engines.matting(chosen, spec, refinement)) {
            PhotoMatting.Result result = PhotoMatting.run(matting, chosen, options, progress);
            getLog().info("shm:matte: " + result.matted() + " photos matted with " + matting.describe() + " into "
                    + outputFolder() + (result.skipped().isEmpty() ? "" : "; " + result.skipped().size() + " skipped"));
        }
    }

    private Path defaultMatteModel(ShmConfig config) {
        Path exported = ModelExport.Outputs.of(exportDirectory(), config.export().fileName()).onnx();
        return Files.isRegularFile(exported) ? exported : defaultModel(config);
    }
}
