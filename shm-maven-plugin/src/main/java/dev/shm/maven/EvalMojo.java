package dev.shm.maven;

import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.engine.Engines;
import dev.shm.runtime.eval.EvalReports;
import dev.shm.runtime.eval.Evaluation;
import dev.shm.runtime.eval.Evaluator;
import dev.shm.runtime.eval.QualityGate;
import dev.shm.runtime.progress.Progress;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;
import org.eclipse.aether.RepositorySystem;

/**
 * Measures SAD, MSE, Gradient and Connectivity of a model on the test split (or of PNG predictions made elsewhere),
 * writes JSON, JUnit and HTML reports, and fails the build when a metric breaks its threshold or regresses against
 * a baseline report.
 */
@Mojo(name = "eval", defaultPhase = LifecyclePhase.TEST, threadSafe = true)
public class EvalMojo extends AbstractModelMojo {

    /** The model: a training checkpoint or an exported .onnx file; stands for {@code test.model}. Unset: end_to_end's best, else its final. */
    @Parameter(property = "shm.model")
    private File model;


    /** The dataset whose test split is evaluated; unset: {@code test.test_pic_path}. */
    @Parameter(property = "shm.dataUrl")
    private File dataUrl;

    /** Predictions mode: a folder of PNG mattes ({@code <name>.png}) to score instead of running a model. */
    @Parameter(property = "shm.predictions")
    private File predictions;

    /** Predictions mode: the folder of ground-truth PNG mattes with the same names. */
    @Parameter(property = "shm.groundTruth")
    private File groundTruth;

    /** How a checkpoint runs: {@code auto} (ONNX Runtime after a parity check against DL4J), {@code dl4j}, {@code onnxruntime}. */
    @Parameter(property = "shm.engine", defaultValue = "auto")
    private String engine;

    /** {@code whole} (the seed's protocol) or {@code unknown} (the trimap's unknown region). */
    @Parameter(property = "shm.region", defaultValue = "whole")
    private String region;

    /** Fail when the mean SAD exceeds this. */
    @Parameter(property = "shm.maxSad")
    private Double maxSad;

    /** Fail when the mean MSE exceeds this. */
    @Parameter(property = "shm.maxMse")
    private Double maxMse;

    /** Fail when the mean Gradient error exceeds this. */
    @Parameter(property = "shm.maxGrad")
    private Double maxGrad;

    /** Fail when the mean Connectivity error exceeds this. */
    @Parameter(property = "shm.maxConn")
    private Double maxConn;

    /**
     * Fail when the mean SAD is more than this fraction of the better trivial predictor's (alpha 0 everywhere or 1
     * everywhere, scored on the same images): 0.5 demands half their error; 1 only that the model beats both.
     */
    @Parameter(property = "shm.maxSadVsTrivial")
    private Double maxSadVsTrivial;

    /**
     * A report.json of an accepted build, as a file or as {@code groupId:artifactId:version} of a build that attached it;
     * fail when a mean metric is worse by more than {@code maxRegression}%.
     */
    @Parameter(property = "shm.baseline")
    private String baseline;

    /** Attach report.json (classifier eval-report) so a later build can take it as its baseline by coordinates. */
    @Parameter(property = "shm.attachReport", defaultValue = "true")
    private boolean attachReport;

    @Component
    private MavenProjectHelper projectHelper;

    @Component
    private RepositorySystem repositorySystem;

    /** Allowed worsening against the baseline, in percent. */
    @Parameter(property = "shm.maxRegression", defaultValue = "5")
    private double maxRegression;

    /**
     * Where the JUnit report {@code TEST-shm-eval.xml} goes: one test case per comparison of the gate. The default
     * matches CI servers' usual pattern {@code **}{@code /target/*-reports/TEST-*.xml}.
     */
    @Parameter(property = "shm.reportsDirectory", defaultValue = "${project.build.directory}/shm-reports")
    private File reportsDirectory;

    /** Report a failed gate as a warning and go on, as Surefire does with failed tests. */
    @Parameter(property = "maven.test.failure.ignore", defaultValue = "false")
    private boolean testFailureIgnore;

    /** Skip the evaluation, as Surefire skips tests. */
    @Parameter(property = "skipTests", defaultValue = "false")
    private boolean skipTests;

    /** How many best and worst images get composites in index.html. */
    @Parameter(property = "shm.reportPictures", defaultValue = "3")
    private int reportPictures;

    @Override
    protected String goal() {
        return "eval";
    }

    @Override
    protected Map<String, String> parameterOverrides() {
        Map<String, String> map = new LinkedHashMap<>();
        if (model != null) {
            map.put("test.model", resolve(model).toString());
        }
        if (dataUrl != null) {
            map.put("test.test_pic_path", resolve(dataUrl).toString());
        }
        return map;
    }

    @Override
    protected List<Path> writes(ShmConfig config) {
        return List.of(outputPath(), checkpointRoot(), config.test().outputPath());
    }

    @Override
    protected boolean skipped() {
        if (skipTests) {
            getLog().info("shm:eval skipped (skipTests=true)");
        }
        return skipTests;
    }

    @Override
    protected void run(ShmConfig config, Progress progress) throws MojoFailureException {
        Path output = config.test().outputPath();
        Path junit = resolve(reportsDirectory).resolve("TEST-shm-eval.xml");
        Evaluation.Options options = new Evaluation.Options(output,
                config.test().model() != null ? config.test().model() : defaultModel(config),
                config.test().testPicPath(), Engines.parse(engine), config.test().size(), Evaluator.Region.parse(region),
                resolve(predictions), resolve(groundTruth), reportPictures,
                new QualityGate(QualityGate.maxima(maxSad, maxMse, maxGrad, maxConn), maxSadVsTrivial,
                        BaselineReports.resolve(baseline, baseDir(), session, project, repositorySystem, getLog()),
                        maxRegression), junit,
                "shm.eval." + project.getArtifactId());
        Evaluation.Outcome outcome = Evaluation.run(options, force, progress);
        if (outcome.upToDate()) {
            upToDate();
        } else {
            getLog().info("shm:eval reports: " + output.resolve(EvalReports.HTML_REPORT) + ", "
                    + output.resolve(EvalReports.JSON_REPORT));
        }
        getLog().info("shm:eval JUnit report: " + junit);
        if (attachReport) {
            projectHelper.attachArtifact(project, "json", BaselineReports.CLASSIFIER,
                    output.resolve(EvalReports.JSON_REPORT).toFile());
        }
        if (!outcome.violations().isEmpty()) {
            String message = "shm:eval quality gate failed: " + String.join("; ", outcome.violations()) + " (report: "
                    + output.resolve(EvalReports.HTML_REPORT) + ")";
            if (testFailureIgnore) {
                getLog().warn(message + "; the build goes on because maven.test.failure.ignore is set");
                return;
            }
            throw new MojoFailureException(message);
        }
    }
}
