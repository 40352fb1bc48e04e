package dev.shm.runtime.matte;

import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import java.util.Locale;

/**
 * How the network's small alpha becomes the photo's: plain bicubic upsampling, or the fast guided filter (He and Sun,
 * 2015), which fits the alpha locally as {@code a * gray + b} against the photo resized as the network saw it, within
 * windows of {@code radius} network pixels and with regulariser {@code epsilon}, then applies the upsampled
 * {@code a} and {@code b} to the full-resolution photo, so the matte's edges follow the photo's own.
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
        return new Refinement(1, 1e-3);
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
        float[][] ab = coefficients(gray(guide), small.values(), small.width(), small.height(), radius, epsilon);
        Matte a = up(ab[0], small, photo);
        Matte b = up(ab[1], small, photo);
        Matte band = up(uncertainty(small.values(), small.width(), small.height(), radius), small, photo);
        float[] full = gray(photo);
        float[] out = plain.values();
        for (int i = 0; i < out.length; i++) {
            float guided = Math.min(1f, Math.max(0f, a.values()[i] * full[i] + b.values()[i]));
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
     * The guided filter's mean coefficients: per pixel, {@code a} and {@code b} of the least-squares fit
     * {@code p ~ a * I + b} in each window, averaged over the windows that hold the pixel.
     */
    static float[][] coefficients(float[] guide, float[] p, int width, int height, int radius, double epsilon) {
        float[] meanI = boxMean(guide, width, height, radius);
        float[] meanP = boxMean(p, width, height, radius);
        float[] ii = new float[guide.length];
        float[] ip = new float[guide.length];
        for (int i = 0; i < guide.length; i++) {
            ii[i] = guide[i] * guide[i];
            ip[i] = guide[i] * p[i];
        }
        float[] meanII = boxMean(ii, width, height, radius);
        float[] meanIP = boxMean(ip, width, height, radius);
        float[] a = new float[guide.length];
        float[] b = new float[guide.length];
        for (int i = 0; i < guide.length; i++) {
            float variance = meanII[i] - meanI[i] * meanI[i];
            float covariance = meanIP[i] - meanI[i] * meanP[i];
            a[i] = (float) (covariance / (variance + epsilon));
            b[i] = meanP[i] - a[i] * meanI[i];
        }
        return new float[][] {boxMean(a, width, height, radius), boxMean(b, width, height, radius)};
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

    /** Luma (ITU-R BT.601) on 0..1. */
    static float[] gray(Raster rgb) {
        int pixels = rgb.width() * rgb.height();
        byte[] data = rgb.data();
        float[] out = new float[pixels];
        for (int i = 0; i < pixels; i++) {
            out[i] = (0.299f * (data[i * 3] & 0xFF) + 0.587f * (data[i * 3 + 1] & 0xFF)
                    + 0.114f * (data[i * 3 + 2] & 0xFF)) / 255f;
        }
        return out;
    }
}
