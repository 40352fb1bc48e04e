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

    /** The violations, one sentence each naming the metric, the value and the bound; empty when the gate passes. */
    public List<String> violations(Evaluator.Report report) {
        return violations(report.mean(), report.trivialSad());
    }

    /** The violations of mean metrics and the trivial predictors' SAD (for example read back from a report.json). */
    public List<String> violations(Map<Metric, Double> means, Map<String, Double> trivialSad) {
        List<String> violations = new ArrayList<>();
        if (maxSadVsTrivial != null) {
            double ratio = Evaluator.sadVsTrivial(means.get(Metric.SAD), trivialSad);
            if (ratio > maxSadVsTrivial) {
                violations.add(String.format(Locale.ROOT, "mean sad %.6f is %.3f of the better trivial predictor's "
                        + "(all background %.6f, all foreground %.6f), above maxSadVsTrivial %s", means.get(Metric.SAD), ratio,
                        trivialSad.get(Evaluator.ALL_BACKGROUND), trivialSad.get(Evaluator.ALL_FOREGROUND), maxSadVsTrivial));
            }
        }
        for (Map.Entry<Metric, Double> bound : maxima.entrySet()) {
            double value = means.get(bound.getKey());
            if (value > bound.getValue()) {
                violations.add(String.format(Locale.ROOT, "mean %s %.6f exceeds the threshold %s %s",
                        bound.getKey().key(), value, bound.getKey().threshold(), bound.getValue()));
            }
        }
        if (baseline != null) {
            JsonNode base = readBaseline();
            for (Metric metric : Metric.values()) {
                JsonNode old = base.path("mean").get(metric.key());
                if (old == null || !old.isNumber()) {
                    continue;
                }
                double allowed = old.asDouble() * (1 + maxRegressionPercent / 100) + 1e-12;
                Double value = means.get(metric);
                if (value == null) {
                    continue;
                }
                if (value > allowed) {
                    violations.add(String.format(Locale.ROOT,
                            "mean %s %.6f is %.1f%% worse than the baseline %.6f in %s (allowed: %.1f%%)", metric.key(), value,
                            old.asDouble() == 0 ? Double.POSITIVE_INFINITY : (value / old.asDouble() - 1) * 100,
                            old.asDouble(), baseline, maxRegressionPercent));
                }
            }
        }
        return violations;
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
