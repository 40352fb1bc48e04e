package dev.shm.maven;

import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.export.ModelExport;
import dev.shm.runtime.infer.AscendInference;
import dev.shm.runtime.infer.InferenceExecutors;
import dev.shm.runtime.progress.Progress;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The seed's Ascend 310 inference path: preprocess the test list to {@code .bin} inputs, run the model (msame or
 * ais_bench on the {@code .om}, or ONNX Runtime on the ONNX file), postprocess to SAD and timing logs.
 */
@Mojo(name = "infer-ascend", defaultPhase = LifecyclePhase.INTEGRATION_TEST, threadSafe = true)
public class InferAscendMojo extends AbstractShmMojo {

    /** The exported ONNX model; unset: {@code shm.model} when that is a .onnx, else the export's. */
    @Parameter(property = "shm.onnx")
    private File onnx;

    /** The model shm:eval gated and shm:export exported; its .onnx is run when it is one. */
    @Parameter(property = "shm.model")
    private File model;

    /** The offline model for msame and ais_bench; unset: the .om beside the ONNX file. */
    @Parameter(property = "shm.om")
    private File om;

    /** {@code auto}, {@code onnxruntime}, {@code msame} or {@code ais_bench}. */
    @Parameter(property = "shm.executor", defaultValue = "auto")
    private String executor;

    /** The executor's command, space-separated, when it is not {@code msame} or {@code python3 -m ais_bench}. */
    @Parameter(property = "shm.executorCommand")
    private String executorCommand;

    @Override
    protected String goal() {
        return "infer-ascend";
    }

    @Override
    protected void run(ShmConfig config, Progress progress) {
        Path network = onnx != null ? resolve(onnx)
                : model != null && model.getName().endsWith(".onnx") ? resolve(model)
                : ModelExport.Outputs.of(exportDirectory(), config.export().fileName()).onnx();
        Path offline = om != null ? resolve(om) : ModelExport.Outputs.beside(network).om();
        List<String> command = executorCommand == null || executorCommand.isBlank() ? null
                : Arrays.asList(executorCommand.trim().split("\\s+"));
        AscendInference.Result result = new AscendInference(progress).run(new AscendInference.Options(network, offline,
                config.infer().fileTestList(), config.infer().size(), outputPath().resolve("infer"),
                InferenceExecutors.Kind.parse(executor), command));
        getLog().info(String.format(Locale.ROOT, "shm:infer-ascend with %s: %d images, ave sad %.6f, %.3f ms per image; "
                + "logs in %s", result.executor(), result.images(), result.averageSad(), result.averageMillis(),
                outputPath().resolve("infer")));
    }
}
