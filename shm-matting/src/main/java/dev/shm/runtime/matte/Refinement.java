package dev.shm.runtime.matte;

import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import java.util.Locale;

/**
 * How the network's small alpha becomes the photo's: plain bicubic upsampling, or the fast colour guided filter (He
 * and Sun, 2015), which fits the alpha locally as {@code a . RGB + b} against the photo resized as the network saw
 * it, within windows of {@code radius} network pixels and with regulariser {@code epsilon}, then applies the
 * upsampled {@code a} and {@code b} to the full-resolution photo, so the matte's edges follow the photo's own.
 */
public record Refinement(int radius, double epsilon) {
    /** The refinement shm:matte and the command line use unless told otherwise. */
    public static final String DEFAULT = "none";
    /** Bicubic upsampling, as shm:eval's protocol scores a model. */
    public static final Refinement NONE = new Refinement(0, 0);

    public Refinement {
        if (radius < 0 || !(epsilon >= 0)) {
            throw new IllegalArgumentException("a guided filter needs a radius >= 0 and an epsilon >= 0, got "
                    + radius + " and " + epsilon);
        }
    }

    /** {@code none}, {@code guided} (the defaults below) or {@code guided:RADIUS,EPSILON}. */
    public static Refinement parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("none")) {
            return NONE;
        }
        if (value.equals("guided")) {
            return guided();
        }
        if (value.startsWith("guided:")) {
            String[] parts = value.substring("guided:".length()).split(",");
            try {
                if (parts.length == 2) {
                    return new Refinement(Integer.parseInt(parts[0].trim()), Double.parseDouble(parts[1].trim()));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("the refinement must be none, guided or guided:RADIUS,EPSILON (for "
                + "example guided:2,1e-3), got '" + text + "'");
    }

    /** The guided filter with the radius and epsilon of the lowest SAD on eg1800's eval split (README). */
    public static Refinement guided() {
        return new Refinement(1, 1e-5);
    }

    public boolean isNone() {
        return radius == 0;
    }

    public String describe() {
        return isNone() ? "none" : String.format(Locale.ROOT, "guided:%d,%s", radius, epsilon);
    }

    /**
     * The photo's alpha from the network's: {@code small} is the network's square output, {@code seen} the photo as
     * the network saw it (resized to the same square), {@code photo} the photo itself. Clamped to [0, 1].
     */
    public Matte apply(Matte small, Raster seen, Raster photo) {
        Matte plain = Resize.to(small, photo.width(), photo.height(), Resize.Interpolation.CUBIC).clamped();
        if (isNone()) {
            return plain;
        }
        Raster guide = seen.width() == small.width() && seen.height() == small.height() ? seen
                : Resize.to(seen, small.width(), small.height(), Resize.Interpolation.LINEAR);
        float[][] ab = colourCoefficients(guide, small.values(), small.width(), small.height(), radius, epsilon);
        Matte[] up = new Matte[4];
        for (int k = 0; k < 4; k++) {
            up[k] = up(ab[k], small, photo);
        }
        Matte band = up(uncertainty(small.values(), small.width(), small.height(), radius), small, photo);
        byte[] rgb = photo.data();
        float[] out = plain.values();
        for (int i = 0; i < out.length; i++) {
            float q = up[0].values()[i] * (rgb[i * 3] & 0xFF) / 255f + up[1].values()[i] * (rgb[i * 3 + 1] & 0xFF) / 255f
                    + up[2].values()[i] * (rgb[i * 3 + 2] & 0xFF) / 255f + up[3].values()[i];
            float guided = Math.min(1f, Math.max(0f, q));
            out[i] += band.values()[i] * (guided - out[i]);
        }
        return plain;
    }

    /**
     * How unsure the network is around each pixel, 0..1: {@code 4 a (1 - a)} of its clamped alpha (0 where it says
     * 0 or 1, 1 where it says 0.5), the largest within {@code radius}. The refinement acts only there, so the
     * photo's texture inside a confident figure or background is left out.
     */
    static float[] uncertainty(float[] alpha, int width, int height, int radius) {
        float[] doubt = new float[alpha.length];
        for (int i = 0; i < alpha.length; i++) {
            float a = Math.min(1f, Math.max(0f, alpha[i]));
            doubt[i] = 4 * a * (1 - a);
        }
        float[] rows = largestWithin(doubt, height, width, width, 1, radius);
        return largestWithin(rows, width, 1, height, width, radius);
    }

    /**
     * The largest value within {@code radius} along each of {@code lines} lines of {@code length} values, a line
     * starting every {@code lineStride} values and its values {@code step} apart: rows or columns of an image.
     */
    private static float[] largestWithin(float[] values, int lines, int lineStride, int length, int step, int radius) {
        float[] out = new float[values.length];
        for (int line = 0; line < lines; line++) {
            int start = line * lineStride;
            for (int i = 0; i < length; i++) {
                float most = 0;
                for (int k = Math.max(0, i - radius); k <= Math.min(length - 1, i + radius); k++) {
                    most = Math.max(most, values[start + k * step]);
                }
                out[start + i * step] = most;
            }
        }
        return out;
    }

    private static Matte up(float[] values, Matte small, Raster photo) {
        return Resize.to(new Matte(small.width(), small.height(), values), photo.width(), photo.height(),
                Resize.Interpolation.LINEAR);
    }

    /**
     * The colour guided filter's mean coefficients: per pixel the least-squares fit {@code p ~ a . I + b} over the
     * RGB guide in each window, {@code a = (Sigma + epsilon U)^-1 cov(I, p)}, averaged over the windows that hold the
     * pixel: {@code a_r, a_g, a_b, b}.
     */
    static float[][] colourCoefficients(Raster guide, float[] p, int width, int height, int radius, double epsilon) {
        int n = p.length;
        float[][] channel = new float[3][n];
        byte[] data = guide.data();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                channel[c][i] = (data[i * 3 + c] & 0xFF) / 255f;
            }
        }
        float[][] mean = new float[3][];
        float[][] meanIp = new float[3][];
        float[] meanP = boxMean(p, width, height, radius);
        for (int c = 0; c < 3; c++) {
            mean[c] = boxMean(channel[c], width, height, radius);
            float[] ip = new float[n];
            for (int i = 0; i < n; i++) {
                ip[i] = channel[c][i] * p[i];
            }
            meanIp[c] = boxMean(ip, width, height, radius);
        }
        int[][] pairs = {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}};
        float[][] products = new float[6][];
        for (int k = 0; k < 6; k++) {
            float[] product = new float[n];
            for (int i = 0; i < n; i++) {
                product[i] = channel[pairs[k][0]][i] * channel[pairs[k][1]][i];
            }
            products[k] = boxMean(product, width, height, radius);
        }
        float[][] ab = new float[4][n];
        for (int i = 0; i < n; i++) {
            double[] s = new double[6];
            for (int k = 0; k < 6; k++) {
                s[k] = products[k][i] - (double) mean[pairs[k][0]][i] * mean[pairs[k][1]][i];
            }
            s[0] += epsilon;
            s[3] += epsilon;
            s[5] += epsilon;
            double[] cov = new double[3];
            for (int c = 0; c < 3; c++) {
                cov[c] = meanIp[c][i] - (double) mean[c][i] * meanP[i];
            }
            // the inverse of the symmetric 3x3 [s0 s1 s2; s1 s3 s4; s2 s4 s5] by cofactors
            double i00 = s[3] * s[5] - s[4] * s[4];
            double i01 = s[2] * s[4] - s[1] * s[5];
            double i02 = s[1] * s[4] - s[2] * s[3];
            double i11 = s[0] * s[5] - s[2] * s[2];
            double i12 = s[1] * s[2] - s[0] * s[4];
            double i22 = s[0] * s[3] - s[1] * s[1];
            double det = s[0] * i00 + s[1] * i01 + s[2] * i02;
            double ar = (i00 * cov[0] + i01 * cov[1] + i02 * cov[2]) / det;
            double ag = (i01 * cov[0] + i11 * cov[1] + i12 * cov[2]) / det;
            double ab2 = (i02 * cov[0] + i12 * cov[1] + i22 * cov[2]) / det;
            ab[0][i] = (float) ar;
            ab[1][i] = (float) ag;
            ab[2][i] = (float) ab2;
            ab[3][i] = (float) (meanP[i] - ar * mean[0][i] - ag * mean[1][i] - ab2 * mean[2][i]);
        }
        for (int k = 0; k < 4; k++) {
            ab[k] = boxMean(ab[k], width, height, radius);
        }
        return ab;
    }

    /** The mean over the (2r+1)² window around each pixel, the window cut at the borders. */
    static float[] boxMean(float[] values, int width, int height, int radius) {
        double[] integral = new double[(width + 1) * (height + 1)];
        for (int y = 0; y < height; y++) {
            double row = 0;
            for (int x = 0; x < width; x++) {
                row += values[y * width + x];
                integral[(y + 1) * (width + 1) + x + 1] = integral[y * (width + 1) + x + 1] + row;
            }
        }
        float[] out = new float[values.length];
        for (int y = 0; y < height; y++) {
            int top = Math.max(0, y - radius);
            int bottom = Math.min(height, y + radius + 1);
            for (int x = 0; x < width; x++) {
                int left = Math.max(0, x - radius);
                int right = Math.min(width, x + radius + 1);
                double sum = integral[bottom * (width + 1) + right] - integral[top * (width + 1) + right]
                        - integral[bottom * (width + 1) + left] + integral[top * (width + 1) + left];
                out[y * width + x] = (float) (sum / ((bottom - top) * (right - left)));
            }
        }
        return out;
    }
}
