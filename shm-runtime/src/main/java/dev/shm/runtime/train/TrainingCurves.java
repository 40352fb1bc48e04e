package dev.shm.runtime.train;

import dev.shm.runtime.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code training.svg} beside a phase's {@code log_latest.txt}: the loss of every step with the epoch means over it,
 * and the eval SAD of every epoch where the phase measures one, redrawn from the log after each epoch.
 */
final class TrainingCurves {
    static final String FILE = "training.svg";
    private static final Pattern STEP = Pattern.compile("train epoch: \\d+ step: \\d+, loss: ([-0-9.eE]+)");
    private static final Pattern EPOCH = Pattern.compile("epoch: (\\d+), mean loss: ([-0-9.eE]+)(?:, eval sad: ([-0-9.eE]+))?");
    private static final int WIDTH = 360;
    private static final int HEIGHT = 220;
    private static final int MARGIN = 44;

    private TrainingCurves() {
    }

    static void write(Path phaseDir, String phase) {
        try {
            String log = Files.readString(phaseDir.resolve(PhaseLog.LATEST), StandardCharsets.UTF_8);
            AtomicFiles.writeString(phaseDir.resolve(FILE), svg(phase, log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw " + phaseDir.resolve(FILE), e);
        }
    }

    /** The picture of one log: loss per step (grey) and per epoch (blue) on the left, eval SAD per epoch on the right. */
    static String svg(String phase, String log) {
        List<Double> steps = new ArrayList<>();
        List<Double> epochLoss = new ArrayList<>();
        List<Double> epochSad = new ArrayList<>();
        List<Integer> stepsBefore = new ArrayList<>();
        for (String line : log.split("\n")) {
            Matcher step = STEP.matcher(line);
            Matcher epoch = EPOCH.matcher(line);
            if (step.lookingAt()) {
                steps.add(Double.parseDouble(step.group(1)));
            } else if (epoch.lookingAt()) {
                stepsBefore.add(steps.size());
                epochLoss.add(Double.parseDouble(epoch.group(2)));
                epochSad.add(epoch.group(3) == null ? Double.NaN : Double.parseDouble(epoch.group(3)));
            }
        }
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", 2 * WIDTH, HEIGHT));
        List<double[]> stepPoints = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            stepPoints.add(new double[] {i + 1, steps.get(i)});
        }
        List<double[]> lossPoints = new ArrayList<>();
        List<double[]> sadPoints = new ArrayList<>();
        for (int e = 0; e < epochLoss.size(); e++) {
            lossPoints.add(new double[] {stepsBefore.get(e), epochLoss.get(e)});
            if (!epochSad.get(e).isNaN()) {
                sadPoints.add(new double[] {e + 1, epochSad.get(e)});
            }
        }
        panel(svg, 0, phase + ": training loss (steps grey, epoch means blue)", "step", List.of(stepPoints, lossPoints),
                List.of("#bbbbbb", "#1f5fbf"));
        panel(svg, WIDTH, phase + ": eval SAD at the patch size", "epoch", List.of(sadPoints), List.of("#c03020"));
        return svg.append("</svg>\n").toString();
    }

    /** Four significant digits, without trailing zeros. */
    static String label(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static void panel(StringBuilder svg, int left, String title, String xLabel, List<List<double[]>> series,
            List<String> colours) {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (List<double[]> points : series) {
            for (double[] p : points) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\">%s</text>%n", left + 8, title));
        int x0 = left + MARGIN;
        int x1 = left + WIDTH - 12;
        int y0 = HEIGHT - 28;
        int y1 = 24;
        svg.append(String.format(Locale.ROOT, "<polyline points=\"%d,%d %d,%d %d,%d\" fill=\"none\" stroke=\"black\"/>%n",
                x0, y1, x0, y0, x1, y0));
        if (minX > maxX) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no values</text>%n", x0 + 10, (y0 + y1) / 2));
            return;
        }
        double spanX = Math.max(1e-12, maxX - minX);
        double spanY = Math.max(1e-12, maxY - minY);
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n"
                + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n"
                + "<text x=\"%d\" y=\"%d\">%s %.0f</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f</text>%n",
                x0 - 4, y1 + 4, label(maxY), x0 - 4, y0, label(minY), x0, y0 + 14, xLabel, minX, x1, y0 + 14, maxX));
        for (int s = 0; s < series.size(); s++) {
            StringBuilder points = new StringBuilder();
            for (double[] p : series.get(s)) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x0 + (p[0] - minX) / spanX * (x1 - x0),
                        y0 - (p[1] - minY) / spanY * (y0 - y1)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"1.5\"/>%n", points.toString().trim(), colours.get(s)));
        }
    }
}
