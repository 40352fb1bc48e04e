package dev.shm.runtime.eval;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.Version;
import dev.shm.runtime.data.DatasetFolders;
import dev.shm.runtime.data.Split;
import dev.shm.runtime.engine.Engines;
import dev.shm.runtime.matte.MattePredictor;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.io.Stamps;
import dev.shm.runtime.metrics.Metric;
import dev.shm.runtime.progress.Progress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The eval goal's work: score a model on a dataset's test split (or PNG predictions made elsewhere) and write the
 * JSON, JUnit and HTML reports into {@code outputDir}, skipping a model run whose inputs are unchanged.
 */
public final class Evaluation {
    /** The stamp beside the reports that records what the last model run was made from. */
    public static final String STAMP = ".shm-eval.sha256";

    private Evaluation() {
    }

    /**
     * What to evaluate and how. Either {@code model} with {@code dataset} (its test split), or {@code predictions}
     * with {@code groundTruth}. The {@code gate}'s verdict goes into the JUnit report {@code junitReport} as test
     * cases of {@code suite}.
     */
    public record Options(Path outputDir, Path model, Path dataset, Engines.Engine engine, int size,
            Evaluator.Region region, Path predictions, Path groundTruth, int reportPictures, QualityGate gate,
            Path junitReport, String suite) {
        Path testList() {
            return dataset.resolve(Split.TEST.dirName()).resolve(Split.TEST.listName());
        }

        boolean predictionsMode() {
            return predictions != null || groundTruth != null;
        }

        /** Everything that decides the reports, the gate's thresholds and baseline included. */
        String settings() {
            return "eval size " + size + ", region " + region + ", engine " + engine + ", pictures " + reportPictures
                    + ", gate " + gate.describe();
        }
    }

    /** The means and the trivial predictors' SAD of the reports now in {@code outputDir}, and the gate's checks. */
    public record Outcome(Map<Metric, Double> means, Map<String, Double> trivialSad, List<QualityGate.Check> checks,
            boolean upToDate) {
        /** The failed checks' sentences; empty when the gate passes. */
        public List<String> violations() {
            return checks.stream().filter(check -> !check.passed()).map(QualityGate.Check::message).toList();
        }
    }

    public static Outcome run(Options options, boolean force, Progress progress) {
        Path output = options.outputDir();
        Evaluator evaluator = new Evaluator(output, progress);
        if (options.predictionsMode()) {
            if (options.predictions() == null || options.groundTruth() == null) {
                throw new ShmException("Predictions mode needs both a predictions folder and a ground-truth folder");
            }
            Evaluator.Report report = evaluator.evaluatePredictions(options.predictions(), options.groundTruth(),
                    options.region());
            return written(report, options);
        }
        Path stamp = output.resolve(STAMP);
        Path json = output.resolve(EvalReports.JSON_REPORT);
        String fingerprint = Stamps.fingerprint(options.settings(), options.model(), options.testList(),
                options.dataset().resolve(DatasetFolders.STAMP), options.gate().baseline());
        if (!force && Stamps.upToDate(stamp, fingerprint, json)) {
            Map<String, Double> trivialSad = EvalReports.readTrivialSad(json);
            if (!trivialSad.isEmpty()) {
                progress.info(json + " is up to date with the model and the test split, skipping (force to evaluate "
                        + "again)");
                Map<Metric, Double> means = EvalReports.readMeans(json);
                return gated(means, trivialSad, options.gate().checks(means, trivialSad), "model " + options.model(),
                        options, true);
            }
        }
        Evaluator.Report report;
        try (MattePredictor predictor = Engines.open(options.model(), options.engine(), options.size(),
                options.testList(), progress)) {
            report = evaluator.evaluateModel(predictor, options.testList(), options.size(), options.region());
        }
        Outcome outcome = written(report, options);
        Stamps.record(stamp, fingerprint);
        return outcome;
    }

    private static Outcome written(Evaluator.Report report, Options options) {
        List<QualityGate.Check> checks = options.gate().checks(report.mean(), report.trivialSad());
        EvalReports.write(report, options.outputDir(), options.reportPictures(), new EvalReports.Context(checks,
                options.settings(), Version.get(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
        return gated(report.mean(), report.trivialSad(), checks, report.model(), options, false);
    }

    /** The gate's checks on the means, written as the JUnit report every run, whether or not it evaluated. */
    private static Outcome gated(Map<Metric, Double> means, Map<String, Double> trivialSad,
            List<QualityGate.Check> checks, String model, Options options, boolean upToDate) {
        AtomicFiles.writeString(options.junitReport(), EvalReports.junit(options.suite(), model, means, trivialSad,
                checks, options.outputDir().resolve(EvalReports.JSON_REPORT)));
        return new Outcome(means, trivialSad, checks, upToDate);
    }
}
