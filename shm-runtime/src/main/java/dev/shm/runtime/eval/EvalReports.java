package dev.shm.runtime.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import dev.shm.runtime.image.Resize.Interpolation;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.io.Stamps;
import dev.shm.runtime.metrics.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an evaluation for people and for CI servers: {@code report.json} (every image and the means),
 * {@code TEST-shm-eval.xml} (JUnit format, one test case per image) and {@code index.html} with composites of the
 * best and worst images (photo, predicted alpha, ground truth, error map) and the metric table.
 */
public final class EvalReports {
    public static final String JSON_REPORT = "report.json";
    public static final String HTML_REPORT = "index.html";
    private static final int COMPOSITE_HEIGHT = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalReports() {
    }

    /**
     * What a report says beyond the scores: the gate's checks, the settings and the shm version that made it, and
     * when ({@code created}, UTC).
     */
    public record Context(List<QualityGate.Check> checks, String settings, String version, String created) {
        boolean passed() {
            return checks.stream().allMatch(QualityGate.Check::passed);
        }
    }

    public static void write(Evaluator.Report report, Path dir, int pictures, Context context) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(dir.resolve(JSON_REPORT), json(report, context));
        List<Evaluator.ImageResult> bySad = new ArrayList<>(report.images());
        bySad.sort(Comparator.comparingDouble(Evaluator.ImageResult::sad));
        List<Evaluator.ImageResult> best = new ArrayList<>(bySad.subList(0, Math.min(pictures, bySad.size())));
        List<Evaluator.ImageResult> worst = new ArrayList<>(bySad.subList(
                Math.max(best.size(), bySad.size() - pictures), bySad.size()));
        java.util.Collections.reverse(worst);
        Path composites = dir.resolve("composites");
        for (Evaluator.ImageResult result : concat(best, worst)) {
            AtomicFiles.write(composites.resolve(result.name() + ".png"), Codecs.encodePng(composite(result)));
        }
        AtomicFiles.writeString(dir.resolve(HTML_REPORT), html(report, best, worst, context));
    }

    /** The mean metrics of a report.json written by {@link #write}. */
    public static Map<Metric, Double> readMeans(Path reportJson) {
        Map<Metric, Double> means = new EnumMap<>(Metric.class);
        readNumbers(reportJson, "mean").forEach((key, value) -> means.put(Metric.parse(key), value));
        return means;
    }

    /** The trivial predictors' mean SAD stored in a report.json written by {@link #write}. */
    public static Map<String, Double> readTrivialSad(Path reportJson) {
        return readNumbers(reportJson, "trivial_sad");
    }

    private static Map<String, Double> readNumbers(Path reportJson, String section) {
        try {
            var node = JSON.readTree(reportJson.toFile()).path(section);
            Map<String, Double> means = new java.util.LinkedHashMap<>();
            node.fields().forEachRemaining(entry -> means.put(entry.getKey(), entry.getValue().asDouble()));
            return means;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + reportJson, e);
        }
    }

    static String json(Evaluator.Report report, Context context) {
        ObjectNode root = JSON.createObjectNode();
        root.put("shm_version", context.version());
        root.put("created", context.created());
        root.put("settings", context.settings());
        root.put("settings_sha256", Stamps.sha256(context.settings()));
        root.put("verdict", context.passed() ? "passed" : "failed");
        ArrayNode gate = root.putArray("gate");
        for (QualityGate.Check check : context.checks()) {
            ObjectNode node = gate.addObject();
            node.put("name", check.name());
            node.put("measured", check.measured());
            node.put("bound", check.bound());
            node.put("passed", check.passed());
            node.put("message", check.message());
        }
        root.put("model", report.model());
        root.put("data", report.data());
        root.put("region", report.region() == Evaluator.Region.UNKNOWN ? "unknown" : "whole_image");
        root.put("images_evaluated", report.images().size());
        root.put("images_per_second", report.imagesPerSecond());
        ObjectNode mean = root.putObject("mean");
        report.mean().forEach((metric, value) -> mean.put(metric.key(), value));
        ObjectNode trivial = root.putObject("trivial_sad");
        report.trivialSad().forEach(trivial::put);
        root.put("sad_vs_trivial", report.sadVsTrivial());
        ArrayNode images = root.putArray("images");
        for (Evaluator.ImageResult result : report.images()) {
            ObjectNode node = images.addObject();
            node.put("name", result.name());
            if (result.image() != null) {
                node.put("image", result.image().toString());
            }
            node.put("ground_truth", result.truth().toString());
            result.metrics().forEach((metric, value) -> node.put(metric.key(), value));
            node.put("millis", result.millis());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JUnit view a CI server reads: one test case per comparison of the gate (each threshold, the relative gate,
     * each baseline metric) with its measured value, bound and verdict, and one, {@code evaluated}, that holds the
     * means as data. Single images are data in report.json, not test cases.
     */
    static String junit(String suite, String model, Map<Metric, Double> means, Map<String, Double> trivialSad,
            List<QualityGate.Check> checks, Path jsonReport) {
        long failures = checks.stream().filter(check -> !check.passed()).count();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
                + "skipped=\"0\" time=\"0\">%n", escape(suite), checks.size() + 1, failures));
        xml.append("  <properties>\n");
        xml.append("    <property name=\"model\" value=\"").append(escape(model)).append("\"/>\n");
        for (Map.Entry<Metric, Double> mean : means.entrySet()) {
            xml.append(String.format(Locale.ROOT, "    <property name=\"mean_%s\" value=\"%.6f\"/>%n", mean.getKey().key(),
                    mean.getValue()));
        }
        for (Map.Entry<String, Double> trivial : trivialSad.entrySet()) {
            xml.append(String.format(Locale.ROOT, "    <property name=\"trivial_sad_%s\" value=\"%.6f\"/>%n",
                    trivial.getKey(), trivial.getValue()));
        }
        xml.append("  </properties>\n");
        StringBuilder data = new StringBuilder();
        means.forEach((metric, value) -> data.append(String.format(Locale.ROOT, "mean %s %.6f%n", metric.key(), value)));
        data.append("per-image results: ").append(jsonReport);
        xml.append("  <testcase classname=\"").append(escape(suite)).append("\" name=\"evaluated\" time=\"0\">")
                .append("<system-out>").append(escape(data.toString())).append("</system-out></testcase>\n");
        for (QualityGate.Check check : checks) {
            xml.append("  <testcase classname=\"").append(escape(suite)).append("\" name=\"").append(escape(check.name()))
                    .append("\" time=\"0\">");
            if (!check.passed()) {
                xml.append("<failure message=\"").append(escape(check.message())).append("\" type=\"quality gate\"/>");
            }
            xml.append(String.format(Locale.ROOT, "<system-out>measured %.6f, bound %.6f, %s: %s</system-out>",
                    check.measured(), check.bound(), check.passed() ? "passed" : "failed", escape(check.message())));
            xml.append("</testcase>\n");
        }
        xml.append("</testsuite>\n");
        return xml.toString();
    }

    private static String html(Evaluator.Report report, List<Evaluator.ImageResult> best,
            List<Evaluator.ImageResult> worst, Context context) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>shm eval</title><style>")
                .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;")
                .append("padding:4px 8px;text-align:right}th{background:#eee}img{display:block;margin:4px 0}")
                .append(".passed{color:#176f2c}.failed{color:#b3261e}figure{margin:1em 0}</style></head><body>\n");
        html.append("<h1>shm evaluation</h1>\n");
        html.append("<p id=\"verdict\" class=\"").append(context.passed() ? "passed" : "failed").append("\"><b>Quality gate ")
                .append(context.passed() ? "passed" : "failed").append("</b>")
                .append(context.checks().isEmpty() ? " (no thresholds set)" : "").append("</p>\n");
        if (!context.checks().isEmpty()) {
            html.append("<table id=\"gate\"><tr><th>check</th><th>measured</th><th>bound</th><th>verdict</th>"
                    + "<th>in words</th></tr>\n");
            for (QualityGate.Check check : context.checks()) {
                html.append(String.format(Locale.ROOT, "<tr><td style=\"text-align:left\">%s</td><td>%.6f</td>"
                        + "<td>%.6f</td><td class=\"%s\">%s</td><td style=\"text-align:left\">%s</td></tr>%n",
                        escape(check.name()), check.measured(), check.bound(), check.passed() ? "passed" : "failed",
                        check.passed() ? "passed" : "failed", escape(check.message())));
            }
            html.append("</table>\n");
        }
        html.append("<p>Model: ").append(escape(report.model())).append("<br>Data: ")
                .append(escape(report.data())).append("<br>Region: ")
                .append(report.region() == Evaluator.Region.UNKNOWN ? "trimap unknown region" : "whole image")
                .append(String.format(Locale.ROOT, "<br>%d images, %.2f images/s", report.images().size(),
                        report.imagesPerSecond()))
                .append("<br>shm ").append(escape(context.version())).append(", ").append(escape(context.created()))
                .append("<br>Settings: <code>").append(escape(context.settings())).append("</code></p>\n");
        html.append("<table><tr><th></th>");
        for (Metric metric : Metric.values()) {
            html.append("<th>").append(metric.key()).append("</th>");
        }
        html.append("</tr>\n<tr><th>mean</th>");
        for (Metric metric : Metric.values()) {
            html.append(String.format(Locale.ROOT, "<td>%.6f</td>", report.mean().get(metric)));
        }
        html.append("</tr>\n");
        html.append(String.format(Locale.ROOT, "<tr><th>all background</th><td>%.6f</td></tr>%n"
                + "<tr><th>all foreground</th><td>%.6f</td></tr>%n", report.trivialSad().get(Evaluator.ALL_BACKGROUND),
                report.trivialSad().get(Evaluator.ALL_FOREGROUND)));
        html.append("</table>\n");
        html.append(String.format(Locale.ROOT, "<p>The model's mean SAD is <b>%.3f</b> of the better trivial predictor's "
                + "(alpha 0 everywhere or 1 everywhere, scored on the same images): near 0 is good, 1 or more means "
                + "it learned nothing a constant would not do.</p>%n", report.sadVsTrivial()));
        section(html, "Best images (lowest SAD)", best);
        section(html, "Worst images (highest SAD)", worst);
        html.append("<h2>Every image</h2>\n<table><tr><th>image</th>");
        for (Metric metric : Metric.values()) {
            html.append("<th>").append(metric.key()).append("</th>");
        }
        html.append("</tr>\n");
        for (Evaluator.ImageResult result : report.images()) {
            html.append("<tr><td style=\"text-align:left\">").append(escape(result.name())).append("</td>");
            for (Metric metric : Metric.values()) {
                html.append(String.format(Locale.ROOT, "<td>%.6f</td>", result.metrics().get(metric)));
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        // counts the composites that loaded, for a browser test that the page renders
        html.append("<script>window.addEventListener('load', () => { document.body.dataset.loaded = "
                + "[...document.images].filter(i => i.complete && i.naturalWidth > 0).length; });</script>\n");
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void section(StringBuilder html, String title, List<Evaluator.ImageResult> results) {
        if (results.isEmpty()) {
            return;
        }
        html.append("<h2>").append(title).append("</h2>\n");
        for (Evaluator.ImageResult result : results) {
            html.append("<figure><img src=\"composites/").append(escape(result.name())).append(".png\" alt=\"")
                    .append(escape(result.name())).append("\">");
            html.append(String.format(Locale.ROOT, "<figcaption>%s: sad %.6f, mse %.6f, grad %.6f, conn %.6f. Left to "
                    + "right: %sthe predicted alpha, the ground truth, the error |alpha - truth|.</figcaption></figure>%n",
                    escape(result.name()), result.sad(), result.metrics().get(Metric.MSE), result.metrics().get(Metric.GRAD),
                    result.metrics().get(Metric.CONN), result.image() != null ? "the photo, " : ""));
        }
    }

    /** Photo (when known), prediction, truth and error side by side, each scaled to one height. */
    static Raster composite(Evaluator.ImageResult result) {
        Matte alpha = read(result.prediction());
        Matte truth = read(result.truth());
        int height = COMPOSITE_HEIGHT;
        int width = Math.max(1, Math.round((float) alpha.width() * height / alpha.height()));
        List<Raster> panels = new ArrayList<>();
        if (result.image() != null) {
            try {
                Raster photo = Codecs.decodeRgb(Files.readAllBytes(result.image()));
                if (photo != null) {
                    panels.add(Resize.to(photo, width, height, Interpolation.LINEAR));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        panels.add(gray(Resize.to(alpha.toRaster(), width, height, Interpolation.LINEAR)));
        panels.add(gray(Resize.to(truth.toRaster(), width, height, Interpolation.LINEAR)));
        float[] error = new float[alpha.values().length];
        for (int i = 0; i < error.length; i++) {
            error[i] = Math.abs(alpha.values()[i] - truth.values()[i]);
        }
        panels.add(heat(Resize.to(new Matte(alpha.width(), alpha.height(), error).toRaster(), width, height,
                Interpolation.LINEAR)));
        int gap = 4;
        int total = panels.size() * width + (panels.size() - 1) * gap;
        byte[] out = new byte[total * height * 3];
        java.util.Arrays.fill(out, (byte) 255);
        for (int p = 0; p < panels.size(); p++) {
            Raster panel = panels.get(p);
            for (int y = 0; y < height; y++) {
                System.arraycopy(panel.data(), y * width * 3, out, (y * total + p * (width + gap)) * 3, width * 3);
            }
        }
        return new Raster(total, height, 3, out);
    }

    private static Matte read(Path file) {
        try {
            return Codecs.decodeMatte(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Raster gray(Raster single) {
        byte[] out = new byte[single.data().length * 3];
        for (int i = 0; i < single.data().length; i++) {
            out[i * 3] = single.data()[i];
            out[i * 3 + 1] = single.data()[i];
            out[i * 3 + 2] = single.data()[i];
        }
        return new Raster(single.width(), single.height(), 3, out);
    }

    /** Error as black to red to yellow. */
    private static Raster heat(Raster single) {
        byte[] out = new byte[single.data().length * 3];
        for (int i = 0; i < single.data().length; i++) {
            int v = single.data()[i] & 0xFF;
            out[i * 3] = (byte) Math.min(255, v * 2);
            out[i * 3 + 1] = (byte) Math.max(0, v * 2 - 255);
        }
        return new Raster(single.width(), single.height(), 3, out);
    }

    private static List<Evaluator.ImageResult> concat(List<Evaluator.ImageResult> a, List<Evaluator.ImageResult> b) {
        List<Evaluator.ImageResult> all = new ArrayList<>(a);
        for (Evaluator.ImageResult r : b) {
            if (!all.contains(r)) {
                all.add(r);
            }
        }
        return all;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
