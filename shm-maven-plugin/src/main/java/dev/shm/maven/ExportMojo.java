package dev.shm.maven;

import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.export.ModelExport;
import dev.shm.runtime.progress.Progress;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Exports the trained network to ONNX for Ascend's ATC, checked against the DL4J network in ONNX Runtime and
 * against ATC's constraints; converts it to {@code .om} when ATC is installed; attaches the ONNX file, the
 * {@code .om} and the checkpoint to the project so install and deploy publish them.
 */
@Mojo(name = "export", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ExportMojo extends AbstractModelMojo {
    /** The packaging whose main artifact is the exported model. */
    static final String PACKAGING = "shm-model";

    /**
     * The checkpoint to export; stands for {@code export.ckpt_file}. Unset: end_to_end's best, else its final. The same
     * property selects the model shm:eval gates, so one {@code -Dshm.model} gates and publishes the same model.
     */
    @Parameter(property = "shm.model")
    private File model;

    /** The former name of {@code model}; still read, with a warning. */
    @Parameter(property = "shm.checkpoint")
    private File checkpoint;

    /**
     * Fail when no {@code .om} can be made (no ATC here), as a release profile wants; otherwise the build goes on with
     * the ONNX model and the ATC script, and says at WARN what to run on an Ascend host.
     */
    @Parameter(property = "shm.requireOm", defaultValue = "false")
    private boolean requireOm;


    /** ONNX opset, within the range ATC converts (9-13 for CANN 5/6). */
    @Parameter(property = "shm.opset", defaultValue = "11")
    private int opset;

    /** The CANN major version whose ATC constraints the model must meet. */
    @Parameter(property = "shm.cann", defaultValue = "6")
    private int cann;

    /** ATC's --soc_version. */
    @Parameter(property = "shm.socVersion", defaultValue = "Ascend310")
    private String socVersion;

    /** The ATC executable; unset: {@code atc} on the PATH, and a script with the command when there is none. */
    @Parameter(property = "shm.atc")
    private File atc;

    /** The largest alpha difference allowed between ONNX Runtime and DL4J. */
    @Parameter(property = "shm.parityTolerance", defaultValue = "1e-4")
    private double parityTolerance;

    /**
     * Attach the ONNX file (classifier onnx; the main artifact in shm-model packaging), the .om (classifier
     * ascend310) or the ATC script (classifier atc) and the checkpoint (classifier checkpoint) to the project, so
     * install and deploy publish them.
     */
    @Parameter(property = "shm.attach", defaultValue = "true")
    private boolean attach;

    @Component
    private MavenProjectHelper projectHelper;

    @Override
    protected String goal() {
        return "export";
    }

    @Override
    protected Map<String, String> parameterOverrides() {
        Map<String, String> map = new LinkedHashMap<>();
        File chosen = model != null ? model : checkpoint;
        if (chosen != null) {
            map.put("export.ckpt_file", resolve(chosen).toString());
        }
        return map;
    }

    @Override
    protected void run(ShmConfig config, Progress progress) throws MojoFailureException {
        if (checkpoint != null && model == null) {
            getLog().warn("shm.checkpoint is now shm.model, the property shm:eval reads too; use -Dshm.model");
        }
        Path trained = config.export().ckptFile() != null ? config.export().ckptFile() : defaultModel(config);
        ModelExport.Options options = new ModelExport.Options(trained, exportDirectory(), config.export().fileName(),
                config.export().fileFormat(), config.infer().size(), opset, cann, socVersion, parityTolerance,
                config.infer().fileTestList(), atc == null ? null : atc.toPath());
        ModelExport.Result result = new ModelExport(progress).run(options, force);
        if (result.upToDate()) {
            upToDate();
        }
        if (result.om() == null) {
            String missing = "no " + socVersion + " .om was made: Huawei's ATC (CANN) is not installed here. On an "
                    + "Ascend host with CANN, run: sh " + result.atcScript() + " (it converts " + result.onnx() + ")";
            if (requireOm) {
                throw new MojoFailureException("shm:export: " + missing + "; or build without -Dshm.requireOm=true");
            }
            getLog().warn("shm:export: " + missing);
        }
        if (attach) {
            if (PACKAGING.equals(project.getPackaging())) {
                project.getArtifact().setFile(result.onnx().toFile());
            } else {
                projectHelper.attachArtifact(project, "onnx", "onnx", result.onnx().toFile());
            }
            if (result.om() != null) {
                projectHelper.attachArtifact(project, "om", socVersion.toLowerCase(Locale.ROOT), result.om().toFile());
            }
            if (result.atcScript() != null) {
                projectHelper.attachArtifact(project, "sh", "atc", result.atcScript().toFile());
            }
            projectHelper.attachArtifact(project, "ckpt", "checkpoint", trained.toFile());
        }
        getLog().info("shm:export: " + result.onnx() + (result.om() != null ? ", " + result.om() : "")
                + (result.atcScript() != null ? "; ATC command in " + result.atcScript() : ""));
    }
}
