package dev.shm.runtime.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.metrics.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CI gate on an evaluation: absolute ceilings per metric, a ceiling on the mean SAD relative to the better
 * trivial predictor ({@code maxSadVsTrivial}, {@code null} for none), and a baseline {@code report.json} that no
 * mean metric may exceed by more than a percentage. Lower is better for every metric.
 */
public record QualityGate(Map<Metric, Double> maxima, Double maxSadVsTrivial, Path baseline, double maxRegressionPercent) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The ceilings that are set, by metric; {@code null} leaves a metric unbounded. */
    public static Map<Metric, Double> maxima(Double sad, Double mse, Double grad, Double conn) {
        Map<Metric, Double> maxima = new java.util.EnumMap<>(Metric.class);
        Double[] values = {sad, mse, grad, conn};
        for (Metric metric : Metric.values()) {
            if (values[metric.ordinal()] != null) {
                maxima.put(metric, values[metric.ordinal()]);
            }
        }
        return maxima;
    }

    /** The gate's settings in words, for fingerprints and reports. */
    public String describe() {
        return "maxima " + maxima + ", maxSadVsTrivial " + maxSadVsTrivial + ", baseline " + baseline
                + ", maxRegression " + maxRegressionPercent + "%";
    }

    /** A gate without thresholds or baseline: every evaluation passes it. */
    public static QualityGate none() {
        return new QualityGate(Map.of(), null, null, 0);
    }

    /**
     * One comparison of the gate: its name ({@code maxSad}, {@code maxSadVsTrivial}, {@code baseline sad}, ...), the
     * measured value, the bound it must not exceed, and a sentence saying either way.
     */
    public record Check(String name, double measured, double bound, boolean passed, String message) {
    }

    /** The violations, one sentence each naming the metric, the value and the bound; empty when the gate passes. */
    public List<String> violations(Evaluator.Report report) {
        return violations(report.mean(), report.trivialSad());
    }

    /** The violations of mean metrics and the trivial predictors' SAD (for example read back from a report.json). */
    public List<String> violations(Map<Metric, Double> means, Map<String, Double> trivialSad) {
        return checks(means, trivialSad).stream().filter(check -> !check.passed()).map(Check::message).toList();
    }

    /** Every comparison the gate makes, passed or not, in a fixed order: thresholds, relative, then baseline. */
    public List<Check> checks(Map<Metric, Double> means, Map<String, Double> trivialSad) {
        List<Check> checks = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            Double bound = maxima.get(metric);
            if (bound == null) {
                continue;
            }
            double value = means.get(metric);
            boolean passed = value <= bound;
            checks.add(new Check(metric.threshold(), value, bound, passed, String.format(Locale.ROOT,
                    "mean %s %.6f %s the threshold %s %s", metric.key(), value, passed ? "is within" : "exceeds",
                    metric.threshold(), bound)));
        }
        if (maxSadVsTrivial != null) {
            double ratio = Evaluator.sadVsTrivial(means.get(Metric.SAD), trivialSad);
            boolean passed = ratio <= maxSadVsTrivial;
            checks.add(new Check("maxSadVsTrivial", ratio, maxSadVsTrivial, passed, String.format(Locale.ROOT,
                    "mean sad %.6f is %.3f of the better trivial predictor's (all background %.6f, all foreground "
                            + "%.6f), %s maxSadVsTrivial %s", means.get(Metric.SAD), ratio,
                    trivialSad.get(Evaluator.ALL_BACKGROUND), trivialSad.get(Evaluator.ALL_FOREGROUND),
                    passed ? "within" : "above", maxSadVsTrivial)));
        }
        if (baseline != null) {
            JsonNode base = readBaseline();
            for (Metric metric : Metric.values()) {
                JsonNode old = base.path("mean").get(metric.key());
                Double value = means.get(metric);
                if (old == null || !old.isNumber() || value == null) {
                    continue;
                }
                double allowed = old.asDouble() * (1 + maxRegressionPercent / 100) + 1e-12;
                boolean passed = value <= allowed;
                double worse = old.asDouble() == 0 ? (value > 0 ? Double.POSITIVE_INFINITY : 0)
                        : (value / old.asDouble() - 1) * 100;
                checks.add(new Check("baseline " + metric.key(), value, allowed, passed, String.format(Locale.ROOT,
                        "mean %s %.6f is %.1f%% %s than the baseline %.6f in %s (allowed: %.1f%% worse)", metric.key(),
                        value, Math.abs(worse), worse > 0 ? "worse" : "better", old.asDouble(), baseline,
                        maxRegressionPercent)));
            }
        }
        return checks;
    }

    private JsonNode readBaseline() {
        if (!Files.isRegularFile(baseline)) {
            throw new ShmException("The baseline report " + baseline + " does not exist; keep a report.json of an "
                    + "accepted build and point shm.baseline at it");
        }
        try {
            JsonNode node = JSON.readTree(baseline.toFile());
            if (!node.path("mean").isObject()) {
                throw new ShmException("The baseline " + baseline + " has no 'mean' section; expected a report.json "
                        + "written by shm:eval");
            }
            return node;
        } catch (IOException e) {
            throw new ShmException("Cannot read the baseline " + baseline + " as JSON: " + e.getMessage(), e);
        }
    }
}
