package dev.shm.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.data.DatasetGenerator;
import dev.shm.runtime.engine.Dl4jPredictor;
import dev.shm.runtime.engine.Engines;
import dev.shm.runtime.matte.MattePredictor;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.metrics.Metric;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {
    @TempDir
    Path dir;

    private Evaluator evaluator() {
        return new Evaluator(dir.resolve("eval"), Progress.silent("eval"));
    }

    private void matte(Path file, int width, int height, float value) throws IOException {
        float[] values = new float[width * height];
        for (int i = 0; i < values.length; i++) {
            values[i] = i < values.length / 2 ? value : 0f;
        }
        Files.createDirectories(file.getParent());
        Files.write(file, Codecs.encodePng16(new Matte(width, height, values)));
    }

    /** Ground truth all foreground for a and b; a predicted exactly, b at 0.5 everywhere. */
    private void twoPredictions() throws IOException {
        matte(dir.resolve("gt/a.png"), 20, 10, 1f);
        matte(dir.resolve("gt/b.png"), 20, 10, 1f);
        matte(dir.resolve("pred/a.png"), 20, 10, 1f);
        matte(dir.resolve("pred/b.png"), 20, 10, 0.5f);
    }

    @Test
    void predictionsModeScoresSixteenBitMattesAndWritesEveryReport() throws IOException {
        twoPredictions();
        Evaluator.Report report = evaluator().evaluatePredictions(dir.resolve("pred"), dir.resolve("gt"),
                Evaluator.Region.WHOLE_IMAGE);
        assertEquals(0, report.images().get(0).sad(), 1e-9);
        assertEquals(100 * 0.5 / 1000, report.images().get(1).sad(), 1e-6, "100 pixels off by 0.5");
        assertEquals(0.025, report.mean().get(Metric.SAD), 1e-6);
        assertEquals(0.25 * 100 / 200 / 2, report.mean().get(Metric.MSE), 1e-5, "16-bit PNGs hold 0.5 as 32768/65535");
        assertEquals(100 / 1000.0, report.trivialSad().get(Evaluator.ALL_BACKGROUND), 1e-9, "100 foreground pixels");
        assertEquals(100 / 1000.0, report.trivialSad().get(Evaluator.ALL_FOREGROUND), 1e-9, "100 background pixels");
        assertEquals(0.25, report.sadVsTrivial(), 1e-5);

        EvalReports.write(report, dir.resolve("eval"), 1, new EvalReports.Context(List.of(), "settings", "1.2.3",
                "2026-01-01T00:00:00Z"));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("eval/report.json").toFile());
        assertEquals(0.025, json.path("mean").path("sad").asDouble(), 1e-6);
        assertEquals(2, json.path("images").size());
        assertEquals(0.1, json.path("trivial_sad").path("all_foreground").asDouble(), 1e-9);
        assertEquals(Map.of("all_background", 0.1, "all_foreground", 0.1),
                EvalReports.readTrivialSad(dir.resolve("eval/report.json")));
        String html = Files.readString(dir.resolve("eval/index.html"));
        assertTrue(html.contains("composites/a.png") && html.contains("composites/b.png"), html);
        assertTrue(Files.size(dir.resolve("eval/composites/b.png")) > 0);
    }

    private Evaluation.Outcome evaluatePredictions(QualityGate gate) {
        return Evaluation.run(new Evaluation.Options(dir.resolve("eval"), null, null, Engines.Engine.AUTO, 32,
                Evaluator.Region.WHOLE_IMAGE, dir.resolve("pred"), dir.resolve("gt"), 1, gate,
                dir.resolve("reports/TEST-shm-eval.xml"), "shm.eval.demo"), false, Progress.silent("eval"));
    }

    @Test
    void theJUnitReportHasOneTestCasePerComparisonOfTheGateAndAgreesWithIt() throws IOException {
        twoPredictions();
        Path xml = dir.resolve("reports/TEST-shm-eval.xml");

        Evaluation.Outcome passing = evaluatePredictions(new QualityGate(Map.of(Metric.SAD, 0.03), null, null, 5));
        assertEquals(List.of(), passing.violations(), "the mean sad 0.025 is within 0.03 though image b's 0.05 is not");
        String junit = Files.readString(xml);
        assertTrue(junit.contains("<testsuite name=\"shm.eval.demo\" tests=\"2\" failures=\"0\""), junit);
        assertTrue(junit.contains("<testcase classname=\"shm.eval.demo\" name=\"maxSad\" time=\"0\"><system-out>"
                + "measured 0.025000, bound 0.030000, passed"), junit);
        assertFalse(junit.contains("name=\"b\""), "single images are data, not test cases");

        Files.writeString(dir.resolve("baseline.json"), "{\"mean\": {\"sad\": 0.01, \"mse\": 1}}");
        Evaluation.Outcome failing = evaluatePredictions(new QualityGate(Map.of(Metric.SAD, 0.01, Metric.MSE, 1.0),
                0.5, dir.resolve("baseline.json"), 5));
        assertEquals(2, failing.violations().size(), failing.violations().toString());
        junit = Files.readString(xml);
        assertTrue(junit.contains("tests=\"6\" failures=\"2\""), junit);
        assertTrue(junit.contains("name=\"maxSad\" time=\"0\"><failure message=\"mean sad 0.025000 exceeds the "
                + "threshold maxSad 0.01\" type=\"quality gate\"/>"), junit);
        assertTrue(junit.contains("name=\"baseline sad\" time=\"0\"><failure message=\"mean sad 0.025000 is 150.0% "
                + "worse than the baseline 0.010000"), junit);
        assertTrue(junit.contains("name=\"baseline mse\" time=\"0\"><system-out>"), "mse is better than its baseline");
        assertTrue(junit.contains("name=\"maxSadVsTrivial\" time=\"0\"><system-out>measured 0.249996, bound "
                + "0.500000, passed"), junit);

        String html = Files.readString(dir.resolve("eval/index.html"));
        assertTrue(html.contains("<p id=\"verdict\" class=\"failed\"><b>Quality gate failed</b></p>"), html);
        assertTrue(html.contains("<td style=\"text-align:left\">baseline sad</td><td>0.025000</td><td>0.010500</td>"
                + "<td class=\"failed\">failed</td><td style=\"text-align:left\">mean sad 0.025000 is 150.0% worse than "
                + "the baseline 0.010000"), "the baseline's value and the delta are on the page: " + html);
        assertTrue(html.contains("Left to right: the predicted alpha, the ground truth, the error"), "panels named");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("eval/report.json").toFile());
        assertEquals("failed", json.path("verdict").asText());
        assertEquals(5, json.path("gate").size());
        assertEquals(dev.shm.runtime.Version.get(), json.path("shm_version").asText());
        assertTrue(json.path("settings").asText().contains("maxRegression 5.0%"), json.toString());
        assertEquals(64, json.path("settings_sha256").asText().length());
    }

    @Test
    void eachImageIsShownOnceWhenThereAreFewerThanTwiceThePictures() throws IOException {
        twoPredictions();
        Evaluator.Report report = evaluator().evaluatePredictions(dir.resolve("pred"), dir.resolve("gt"),
                Evaluator.Region.WHOLE_IMAGE);
        EvalReports.write(report, dir.resolve("few"), 3, new EvalReports.Context(List.of(), "s", "v", "t"));
        String html = Files.readString(dir.resolve("few/index.html"));
        assertEquals(1, html.split("src=\"composites/a.png\"", -1).length - 1, html);
        assertEquals(1, html.split("src=\"composites/b.png\"", -1).length - 1, html);
        assertFalse(html.contains("Worst images"), "both are already among the best");
        assertTrue(html.contains("<p id=\"verdict\" class=\"passed\"><b>Quality gate passed</b> (no thresholds set)"));
    }

    @Test
    void gateNamesMetricValueAndThresholdAndComparesWithABaseline() throws IOException {
        Evaluator.Report report = new Evaluator.Report("m", "d", Evaluator.Region.WHOLE_IMAGE, List.of(),
                Map.of(Metric.SAD, 12.5, Metric.MSE, 0.01, Metric.GRAD, 3.0, Metric.CONN, 11.0),
                Map.of(Evaluator.ALL_BACKGROUND, 20.0, Evaluator.ALL_FOREGROUND, 50.0), 1);
        assertEquals(List.of("mean sad 12.500000 exceeds the threshold maxSad 10.0"),
                new QualityGate(Map.of(Metric.SAD, 10.0), null, null, 5).violations(report));
        assertTrue(new QualityGate(Map.of(Metric.SAD, 13.0, Metric.MSE, 0.02), null, null, 5).violations(report).isEmpty());
        assertEquals(List.of("mean sad 12.500000 is 0.625 of the better trivial predictor's (all background 20.000000, "
                + "all foreground 50.000000), above maxSadVsTrivial 0.5"),
                new QualityGate(Map.of(), 0.5, null, 5).violations(report), "12.5 / min(20, 50)");
        assertTrue(new QualityGate(Map.of(), 0.7, null, 5).violations(report).isEmpty());

        Path base = dir.resolve("baseline.json");
        Files.writeString(base, "{\"mean\": {\"sad\": 10.0, \"mse\": 0.01, \"grad\": 3.0, \"conn\": 11.0}}");
        List<String> regressions = new QualityGate(Map.of(), null, base, 5).violations(report);
        assertEquals(1, regressions.size());
        assertTrue(regressions.get(0).startsWith("mean sad 12.500000 is 25.0% worse than the baseline 10.000000"),
                regressions.get(0));
        assertTrue(new QualityGate(Map.of(), null, base, 30).violations(report).isEmpty());
        ShmException missing = assertThrows(ShmException.class,
                () -> new QualityGate(Map.of(), null, dir.resolve("nope.json"), 5).violations(report));
        assertTrue(missing.getMessage().contains("nope.json"));
    }

    @Test
    void badPredictionsFailNamingTheFile() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        matte(dir.resolve("gt/x.png"), 10, 10, 1f);
        ShmException empty = assertThrows(ShmException.class,
                () -> evaluator().evaluatePredictions(dir.resolve("empty"), dir.resolve("gt"), Evaluator.Region.WHOLE_IMAGE));
        assertTrue(empty.getMessage().contains("holds no PNG matte"), empty.getMessage());
        matte(dir.resolve("pred/x.png"), 20, 10, 1f);
        matte(dir.resolve("gt/x.png"), 10, 10, 1f);
        ShmException size = assertThrows(ShmException.class,
                () -> evaluator().evaluatePredictions(dir.resolve("pred"), dir.resolve("gt"), Evaluator.Region.WHOLE_IMAGE));
        assertTrue(size.getMessage().contains("x.png is 20x10 but its ground truth"), size.getMessage());
        matte(dir.resolve("pred/x.png"), 10, 10, 1f);
        matte(dir.resolve("pred/y.png"), 20, 10, 1f);
        ShmException missing = assertThrows(ShmException.class,
                () -> evaluator().evaluatePredictions(dir.resolve("pred"), dir.resolve("gt"), Evaluator.Region.WHOLE_IMAGE));
        assertTrue(missing.getMessage().contains("y.png has no ground truth"), missing.getMessage());
    }

    @Test
    void aGroundTruthWithoutItsPredictionFailsInsteadOfBeingLeftOut() throws IOException {
        for (String name : List.of("a", "b", "c")) {
            matte(dir.resolve("gt/" + name + ".png"), 10, 10, 1f);
        }
        matte(dir.resolve("pred/a.png"), 10, 10, 1f);
        matte(dir.resolve("pred/c.png"), 10, 10, 1f);
        ShmException e = assertThrows(ShmException.class,
                () -> evaluator().evaluatePredictions(dir.resolve("pred"), dir.resolve("gt"), Evaluator.Region.WHOLE_IMAGE));
        assertTrue(e.getMessage().startsWith("1 ground-truth matte(s) in " + dir.resolve("gt")), e.getMessage());
        assertTrue(e.getMessage().contains("have no prediction in " + dir.resolve("pred") + ": b.png;"), e.getMessage());
    }

    @Test
    void modelModeFollowsTheSeedProtocolAndWritesSixteenBitPredictions() throws IOException {
        ShmConfig config = new ConfigLoader(dir, Path.of("out")).load(null, Map.of(
                "generate_data.synthetic_pic_nums", "10", "generate_data.synthetic_width", "40",
                "generate_data.synthetic_height", "56", "generate_data.generate_debug", "false"));
        Path dataset = new DatasetGenerator(config.generateData(), config.seed(), dir.resolve("out"),
                Progress.silent("g")).run(false).dataset();
        Path checkpoint = dir.resolve("model.ckpt");
        Checkpoints.write(checkpoint, Networks.build(Networks.Kind.END_TO_END, 32, 1, 1e-4), new CheckpointState(
                "end_to_end", "END_TO_END", 1, 1, "h", Double.NaN, 0, 32, new double[] {0.5, 0.5, 0.5},
                new double[] {0.25, 0.25, 0.25}, "test"));
        try (Dl4jPredictor predictor = Dl4jPredictor.load(checkpoint)) {
            Evaluator.Report report = evaluator().evaluateModel(predictor, dataset.resolve("test/test.txt"), 32,
                    Evaluator.Region.UNKNOWN);
            assertEquals(2, report.images().size());
            for (Evaluator.ImageResult result : report.images()) {
                Matte predicted = Codecs.decodeMatte(Files.readAllBytes(result.prediction()));
                assertEquals(40, predicted.width(), "back at the original size");
                assertEquals(56, predicted.height());
                for (float v : predicted.values()) {
                    assertTrue(v >= 0 && v <= 1, "clamped");
                }
                assertTrue(result.sad() >= 0 && Double.isFinite(result.metrics().get(Metric.CONN)));
            }
        }
        try (MattePredictor fast = Engines.open(checkpoint, Engines.Engine.AUTO, 32, dataset.resolve("test/test.txt"),
                Progress.silent("eval"));
                MattePredictor slow = Engines.open(checkpoint, Engines.Engine.DL4J, 32, dataset.resolve("test/test.txt"),
                        Progress.silent("eval"))) {
            assertTrue(fast.describe().startsWith("ONNX Runtime"), fast.describe());
            Evaluator.Report viaOnnx = new Evaluator(dir.resolve("a"), Progress.silent("eval")).evaluateModel(fast,
                    dataset.resolve("test/test.txt"), 32, Evaluator.Region.WHOLE_IMAGE);
            Evaluator.Report viaDl4j = new Evaluator(dir.resolve("b"), Progress.silent("eval")).evaluateModel(slow,
                    dataset.resolve("test/test.txt"), 32, Evaluator.Region.WHOLE_IMAGE);
            assertEquals(viaDl4j.mean().get(Metric.SAD), viaOnnx.mean().get(Metric.SAD), 1e-3, "both engines, one SAD");
        }
        Checkpoints.write(dir.resolve("tnet.ckpt"), Networks.build(Networks.Kind.T_NET, 32, 1, 1e-3), new CheckpointState(
                "pre_train_t_net", "T_NET", 1, 1, "h", Double.NaN, 0, 32, new double[] {0.5, 0.5, 0.5},
                new double[] {0.25, 0.25, 0.25}, "test"));
        ShmException tNet = assertThrows(ShmException.class, () -> Dl4jPredictor.load(dir.resolve("tnet.ckpt")));
        assertTrue(tNet.getMessage().contains("pre_train_t_net phase"), tNet.getMessage());
    }
}
