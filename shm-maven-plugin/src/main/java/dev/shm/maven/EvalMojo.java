package dev.shm.maven;

import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.engine.Engines;
import dev.shm.runtime.eval.EvalReports;
import dev.shm.runtime.eval.Evaluation;
import dev.shm.runtime.eval.Evaluator;
import dev.shm.runtime.eval.QualityGate;
import dev.shm.runtime.metrics.Metric;
import dev.shm.runtime.progress.Progress;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
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
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Measures SAD, MSE, Gradient and Connectivity of a model on the test split (or of PNG predictions made elsewhere),
 * writes JSON, JUnit and HTML reports, and fails the build when a metric breaks its threshold or regresses against
 * a baseline report.
 */
@Mojo(name = "eval", defaultPhase = LifecyclePhase.TEST, threadSafe = true)
public class EvalMojo extends AbstractModelMojo {
    /** The classifier of the attached report.json. */
    static final String REPORT_CLASSIFIER = "eval-report";

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
        Map<Metric, Double> maxima = new EnumMap<>(Metric.class);
        put(maxima, Metric.SAD, maxSad);
        put(maxima, Metric.MSE, maxMse);
        put(maxima, Metric.GRAD, maxGrad);
        put(maxima, Metric.CONN, maxConn);
        Path junit = resolve(reportsDirectory).resolve("TEST-shm-eval.xml");
        Evaluation.Options options = new Evaluation.Options(output,
                config.test().model() != null ? config.test().model() : defaultModel(config),
                config.test().testPicPath(), Engines.parse(engine), config.test().size(), Evaluator.Region.parse(region),
                resolve(predictions), resolve(groundTruth), reportPictures,
                new QualityGate(maxima, maxSadVsTrivial, baseline(), maxRegression), junit,
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
            projectHelper.attachArtifact(project, "json", REPORT_CLASSIFIER, output.resolve(EvalReports.JSON_REPORT).toFile());
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

    /**
     * The baseline report: a file, or {@code groupId:artifactId:version} of a build that attached its report (the
     * last release, say), fetched like any artifact.
     */
    private Path baseline() throws MojoFailureException {
        if (baseline == null || baseline.isBlank()) {
            return null;
        }
        Path file = baseDir().resolve(baseline);
        String[] coordinates = baseline.split(":");
        if (Files.exists(file) || coordinates.length != 3) {
            return file;
        }
        ArtifactRequest request = new ArtifactRequest(new DefaultArtifact(coordinates[0], coordinates[1],
                REPORT_CLASSIFIER, "json", coordinates[2]), project.getRemoteProjectRepositories(), null);
        try {
            Path resolved = repositorySystem.resolveArtifact(session.getRepositorySession(), request).getArtifact()
                    .getFile().toPath();
            getLog().info("shm:eval baseline " + baseline + " resolved to " + resolved);
            return resolved;
        } catch (ArtifactResolutionException e) {
            throw new MojoFailureException("The baseline " + baseline + " is neither a file nor a report attached as "
                    + coordinates[0] + ":" + coordinates[1] + ":json:" + REPORT_CLASSIFIER + ":" + coordinates[2]
                    + " (" + e.getMessage() + "); give a report.json or the coordinates of a build that ran shm:eval", e);
        }
    }

    private static void put(Map<Metric, Double> map, Metric metric, Double value) {
        if (value != null) {
            map.put(metric, value);
        }
    }
}
