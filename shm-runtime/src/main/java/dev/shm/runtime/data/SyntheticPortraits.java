package dev.shm.runtime.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shm.runtime.Version;
import dev.shm.runtime.config.SyntheticConfig;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The embedded default data: half-body portraits drawn from a seed, written in the aisegment source layout
 * ({@code clip_img/.../*.jpg} and RGBA {@code matting/.../*.png}). Each has a head, neck and shoulders with
 * anti-aliased edges, a hair cap with fine strands of partial opacity (the hard part of matting), and a cluttered
 * background, so every goal can run without a download.
 */
public final class SyntheticPortraits {
    static final int PER_GROUP = 50;
    private static final String STAMP = ".shm-synthetic.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyntheticPortraits() {
    }

    /** One drawn portrait: the RGB photo and the RGBA matte (colour of the person, alpha = ground truth). */
    public record Portrait(Raster image, Raster matte) {
    }

    /** Writes the set into {@code dir} unless the same set (size, count, seed) is already there; returns {@code dir}. */
    public static Path ensure(Path dir, SyntheticConfig config, long seed, Progress progress) {
        String identity = identity(config, seed);
        Path stamp = dir.resolve(STAMP);
        try {
            if (Files.isRegularFile(stamp) && identity.equals(JSON.readTree(stamp.toFile()).path("identity").asText())) {
                return dir;
            }
        } catch (IOException e) {
            // an unreadable stamp means the set is redrawn
        }
        progress.info("Drawing " + config.picNums() + " synthetic portraits (" + config.width() + "x" + config.height()
                + ", seed " + seed + ") into " + dir);
        Path staging = dir.resolveSibling("." + dir.getFileName() + ".partial");
        AtomicFiles.deleteRecursively(staging);
        Progress.Task task = progress.task("synthetic portraits", config.picNums(), "portraits");
        for (int i = 0; i < config.picNums(); i++) {
            Portrait portrait = render(config.width(), config.height(), seed, i);
            String group = Long.toString(1803000000L + i / PER_GROUP);
            String name = String.format(Locale.ROOT, "%s-%08d", group, i % PER_GROUP);
            write(staging.resolve("clip_img").resolve(group).resolve("clip_00000000").resolve(name + ".jpg"),
                    Codecs.encodeJpeg(portrait.image(), 95));
            write(staging.resolve("matting").resolve(group).resolve("matting_00000000").resolve(name + ".png"),
                    Codecs.encodePng(portrait.matte()));
            task.advance(1);
        }
        task.finish();
        ObjectNode node = JSON.createObjectNode();
        node.put("identity", identity);
        node.put("pictures", config.picNums());
        node.put("width", config.width());
        node.put("height", config.height());
        node.put("seed", seed);
        try {
            write(staging.resolve(STAMP), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.publishDirectory(staging, dir);
        return dir;
    }

    private static String identity(SyntheticConfig config, long seed) {
        return Version.get() + "/" + config.picNums() + "/" + config.width() + "x" + config.height() + "/" + seed;
    }

    /** Draws portrait {@code index} of the set for {@code seed}; the same arguments give the same pixels. */
    public static Portrait render(int width, int height, long seed, int index) {
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index);
        int n = width * height;
        float[][] background = background(width, height, rng);

        double cx = width * (0.40 + 0.20 * rng.nextDouble());
        double headRx = width * (0.10 + 0.04 * rng.nextDouble());
        double headRy = headRx * (1.2 + 0.15 * rng.nextDouble());
        double headCy = height * (0.22 + 0.12 * rng.nextDouble());
        double shoulderY = headCy + headRy * 1.25;
        double torsoRx = width * (0.30 + 0.12 * rng.nextDouble());
        double torsoRy = (height - shoulderY) * 1.05 + 1;
        double torsoCy = shoulderY + torsoRy;
        double neckHalf = headRx * 0.45;
        double hairCy = headCy - headRy * 0.15;
        double hairRx = headRx * (1.08 + 0.1 * rng.nextDouble());
        double hairRy = headRy * (0.95 + 0.1 * rng.nextDouble());
        double hairLimit = headCy - headRy * (0.15 + 0.35 * rng.nextDouble());

        float[] skin = pick(rng, new float[][] {{236, 196, 170}, {210, 160, 120}, {160, 110, 80}, {110, 72, 50}});
        float[] hairColour = pick(rng, new float[][] {{30, 22, 18}, {80, 50, 30}, {150, 110, 60}, {200, 170, 110}});
        float[] shirt = {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};

        float[] body = new float[n];
        float[] hair = new float[n];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double px = x + 0.5;
                double py = y + 0.5;
                double head = ellipseDistance(px, py, cx, headCy, headRx, headRy);
                double torso = superellipseDistance(px, py, cx, torsoCy, torsoRx, torsoRy);
                double neck = Math.max(Math.abs(px - cx) - neckHalf, Math.max(headCy - py, py - (shoulderY + 4)));
                body[y * width + x] = coverage(Math.min(head, Math.min(torso, neck)));
                double cap = ellipseDistance(px, py, cx, hairCy, hairRx, hairRy);
                double below = py - hairLimit;
                hair[y * width + x] = coverage(Math.max(cap, below));
            }
        }
        int strands = 60 + rng.nextInt(100);
        for (int s = 0; s < strands; s++) {
            double angle = Math.PI + 0.1 + (Math.PI - 0.2) * rng.nextDouble();
            double sx = cx + hairRx * Math.cos(angle) * 0.97;
            double sy = hairCy + hairRy * Math.sin(angle) * 0.97;
            double length = headRx * (0.1 + 0.35 * rng.nextDouble());
            double direction = angle + (rng.nextDouble() - 0.5) * 0.9;
            double bend = (rng.nextDouble() - 0.5) * length * 0.6;
            double halfWidth = 0.3 + 0.6 * rng.nextDouble();
            float opacity = (float) (0.35 + 0.55 * rng.nextDouble());
            strand(hair, width, height, sx, sy, direction, length, bend, halfWidth, opacity);
        }

        byte[] photo = new byte[n * 3];
        byte[] matte = new byte[n * 4];
        for (int y = 0; y < height; y++) {
            double shade = 0.9 + 0.1 * (1 - (double) y / height);
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                float b = body[i];
                float h = hair[i];
                float alpha = Math.max(b, h);
                float hairWeight = h + b > 0 ? Math.min(1f, h / (h + b) * 1.6f) : 0f;
                double neckBlend = clamp((y - shoulderY) / 6.0);
                for (int c = 0; c < 3; c++) {
                    double bodyColour = skin[c] * (1 - neckBlend) + shirt[c] * neckBlend;
                    double fg = (hairWeight * hairColour[c] + (1 - hairWeight) * bodyColour) * shade;
                    double composed = alpha * fg + (1 - alpha) * background[c][i];
                    photo[i * 3 + c] = (byte) Math.round(clamp255(composed));
                    matte[i * 4 + c] = (byte) Math.round(clamp255(fg));
                }
                matte[i * 4 + 3] = (byte) Math.round(alpha * 255f);
            }
        }
        return new Portrait(new Raster(width, height, 3, photo), new Raster(width, height, 4, matte));
    }

    private static float[][] background(int width, int height, SplittableRandom rng) {
        float[] top = {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
        float[] bottom = {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
        float[][] out = new float[3][width * height];
        for (int y = 0; y < height; y++) {
            float t = (float) y / Math.max(1, height - 1);
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    out[c][y * width + x] = top[c] * (1 - t) + bottom[c] * t;
                }
            }
        }
        int shapes = 3 + rng.nextInt(6);
        for (int s = 0; s < shapes; s++) {
            float[] colour = {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
            double sx = width * rng.nextDouble();
            double sy = height * rng.nextDouble();
            double rx = width * (0.05 + 0.25 * rng.nextDouble());
            double ry = height * (0.05 + 0.25 * rng.nextDouble());
            boolean box = rng.nextBoolean();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double d = box ? Math.max(Math.abs(x + 0.5 - sx) - rx, Math.abs(y + 0.5 - sy) - ry)
                            : ellipseDistance(x + 0.5, y + 0.5, sx, sy, rx, ry);
                    float a = coverage(d);
                    if (a > 0) {
                        int i = y * width + x;
                        for (int c = 0; c < 3; c++) {
                            out[c][i] = out[c][i] * (1 - a) + colour[c] * a;
                        }
                    }
                }
            }
        }
        for (int i = 0; i < width * height; i++) {
            float noise = (float) (rng.nextDouble() - 0.5) * 12f;
            for (int c = 0; c < 3; c++) {
                out[c][i] += noise;
            }
        }
        return out;
    }

    /** A thin curved strand: a quadratic curve drawn as short segments, its alpha max-combined into {@code hair}. */
    private static void strand(float[] hair, int width, int height, double sx, double sy, double direction,
            double length, double bend, double halfWidth, float opacity) {
        double ex = sx + Math.cos(direction) * length;
        double ey = sy + Math.sin(direction) * length;
        double mx = (sx + ex) / 2 - Math.sin(direction) * bend;
        double my = (sy + ey) / 2 + Math.cos(direction) * bend;
        int segments = 8;
        double px = sx;
        double py = sy;
        for (int k = 1; k <= segments; k++) {
            double t = (double) k / segments;
            double qx = (1 - t) * (1 - t) * sx + 2 * (1 - t) * t * mx + t * t * ex;
            double qy = (1 - t) * (1 - t) * sy + 2 * (1 - t) * t * my + t * t * ey;
            float fade = (float) (opacity * (1 - 0.6 * t));
            int x0 = Math.max(0, (int) Math.floor(Math.min(px, qx) - halfWidth - 1));
            int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(px, qx) + halfWidth + 1));
            int y0 = Math.max(0, (int) Math.floor(Math.min(py, qy) - halfWidth - 1));
            int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(py, qy) + halfWidth + 1));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double d = segmentDistance(x + 0.5, y + 0.5, px, py, qx, qy) - halfWidth;
                    float a = coverage(d) * fade;
                    int i = y * width + x;
                    if (a > hair[i]) {
                        hair[i] = a;
                    }
                }
            }
            px = qx;
            py = qy;
        }
    }

    /** Approximate signed distance in pixels to an ellipse: negative inside. */
    private static double ellipseDistance(double x, double y, double cx, double cy, double rx, double ry) {
        double u = (x - cx) / rx;
        double v = (y - cy) / ry;
        return (Math.sqrt(u * u + v * v) - 1) * Math.min(rx, ry);
    }

    /** Approximate signed distance to a superellipse of exponent 3: a rounded box, the outline of shoulders. */
    private static double superellipseDistance(double x, double y, double cx, double cy, double rx, double ry) {
        double u = Math.abs(x - cx) / rx;
        double v = Math.abs(y - cy) / ry;
        return (Math.cbrt(u * u * u + v * v * v) - 1) * Math.min(rx, ry);
    }

    private static double segmentDistance(double x, double y, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared == 0 ? 0 : clamp(((x - ax) * dx + (y - ay) * dy) / lengthSquared);
        double qx = ax + t * dx - x;
        double qy = ay + t * dy - y;
        return Math.sqrt(qx * qx + qy * qy);
    }

    /** Pixel coverage of a shape from its signed distance at the pixel centre: a one-pixel anti-aliased edge. */
    private static float coverage(double signedDistance) {
        return (float) clamp(0.5 - signedDistance);
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    private static double clamp255(double v) {
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }

    private static float[] pick(SplittableRandom rng, float[][] palette) {
        return palette[rng.nextInt(palette.length)].clone();
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
