package dev.shm.runtime.metrics;

import java.util.ArrayDeque;

/**
 * The matting metrics of the Deep Image Matting / alphamatting.com evaluation code (docs/MODEL.md §4), on mattes held as
 * row-major floats on 0..1. {@code region} selects the pixels that count (the trimap's unknown region); {@code null}
 * counts the whole image, the seed's protocol.
 */
public final class MattingMetrics {
    public static final double GRADIENT_SIGMA = 1.4;
    public static final double CONNECTIVITY_STEP = 0.1;
    public static final double CONNECTIVITY_THETA = 0.15;

    private MattingMetrics() {
    }

    /** SAD = sum |a - g| / 1000. */
    public static double sad(float[] alpha, float[] truth, boolean[] region) {
        check(alpha, truth, region);
        double sum = 0;
        for (int i = 0; i < alpha.length; i++) {
            if (region == null || region[i]) {
                sum += Math.abs(alpha[i] - truth[i]);
            }
        }
        return sum / 1000.0;
    }

    /** MSE = mean (a - g)^2 over the region (0 for an empty region). */
    public static double mse(float[] alpha, float[] truth, boolean[] region) {
        check(alpha, truth, region);
        double sum = 0;
        long count = 0;
        for (int i = 0; i < alpha.length; i++) {
            if (region == null || region[i]) {
                double d = alpha[i] - truth[i];
                sum += d * d;
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /**
     * Gradient = sum (|grad a| - |grad g|)^2 / 1000: both mattes min-max normalised, gradients from first-order
     * Gaussian-derivative filters of sigma 1.4 (9x9, unit L2 norm) with replicated borders.
     */
    public static double gradient(float[] alpha, float[] truth, int width, int height, boolean[] region) {
        check(alpha, truth, region);
        double[] a = gradientMagnitude(normalise(alpha), width, height);
        double[] g = gradientMagnitude(normalise(truth), width, height);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            if (region == null || region[i]) {
                double d = a[i] - g[i];
                sum += d * d;
            }
        }
        return sum / 1000.0;
    }

    /**
     * Connectivity = sum |phi(a) - phi(g)| / 1000 with thresholds 0.1, 0.2 .. 1: l is the last threshold at which a
     * pixel still belonged to the largest 4-connected component of (a >= t and g >= t) (1 if always),
     * d = x - l, phi = 1 - d [d >= 0.15].
     */
    public static double connectivity(float[] alpha, float[] truth, int width, int height, boolean[] region) {
        check(alpha, truth, region);
        int n = alpha.length;
        double[] level = new double[n];
        java.util.Arrays.fill(level, -1);
        int steps = (int) Math.round(1 / CONNECTIVITY_STEP);
        for (int k = 1; k <= steps; k++) {
            double threshold = k * CONNECTIVITY_STEP;
            boolean[] both = new boolean[n];
            for (int i = 0; i < n; i++) {
                both[i] = alpha[i] >= threshold && truth[i] >= threshold;
            }
            boolean[] largest = largestComponent(both, width, height);
            double previous = (k - 1) * CONNECTIVITY_STEP;
            for (int i = 0; i < n; i++) {
                if (level[i] == -1 && !largest[i]) {
                    level[i] = previous;
                }
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (region == null || region[i]) {
                double l = level[i] == -1 ? 1 : level[i];
                sum += Math.abs(phi(alpha[i] - l) - phi(truth[i] - l));
            }
        }
        return sum / 1000.0;
    }

    private static double phi(double d) {
        return 1 - (d >= CONNECTIVITY_THETA ? d : 0);
    }

    /** The largest 4-connected component of {@code mask}; the first found wins a tie, as MATLAB's max does. */
    static boolean[] largestComponent(boolean[] mask, int width, int height) {
        int[] label = new int[mask.length];
        int best = 0;
        int bestSize = 0;
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                int start = y * width + x;
                if (!mask[start] || label[start] != 0) {
                    continue;
                }
                next++;
                int size = 0;
                label[start] = next;
                queue.add(start);
                while (!queue.isEmpty()) {
                    int p = queue.poll();
                    size++;
                    int px = p % width;
                    int py = p / width;
                    if (px > 0) {
                        visit(p - 1, mask, label, next, queue);
                    }
                    if (px < width - 1) {
                        visit(p + 1, mask, label, next, queue);
                    }
                    if (py > 0) {
                        visit(p - width, mask, label, next, queue);
                    }
                    if (py < height - 1) {
                        visit(p + width, mask, label, next, queue);
                    }
                }
                if (size > bestSize) {
                    bestSize = size;
                    best = next;
                }
            }
        }
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = best != 0 && label[i] == best;
        }
        return out;
    }

    private static void visit(int p, boolean[] mask, int[] label, int id, ArrayDeque<Integer> queue) {
        if (mask[p] && label[p] == 0) {
            label[p] = id;
            queue.add(p);
        }
    }

    /** (x - min) / (max - min), or zeros for a constant matte (MATLAB's mat2gray). */
    static double[] normalise(float[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] out = new double[values.length];
        if (max > min) {
            for (int i = 0; i < values.length; i++) {
                out[i] = (values[i] - min) / (max - min);
            }
        }
        return out;
    }

    /** The x-derivative kernel of the reference code: gauss(row) * dgauss(column), 9x9 for sigma 1.4, unit norm. */
    static double[][] derivativeKernel(double sigma) {
        double epsilon = 1e-2;
        int half = (int) Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * epsilon)));
        int size = 2 * half + 1;
        double[][] kernel = new double[size][size];
        double norm = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double u = i - half;
                double v = j - half;
                kernel[i][j] = gauss(u, sigma) * (-v * gauss(v, sigma) / (sigma * sigma));
                norm += kernel[i][j] * kernel[i][j];
            }
        }
        norm = Math.sqrt(norm);
        for (double[] row : kernel) {
            for (int j = 0; j < size; j++) {
                row[j] /= norm;
            }
        }
        return kernel;
    }

    private static double gauss(double x, double sigma) {
        return Math.exp(-x * x / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    }

    /** sqrt(gx^2 + gy^2), each a convolution with replicated borders (the transposed kernel for y). */
    static double[] gradientMagnitude(double[] image, int width, int height) {
        double[][] kernel = derivativeKernel(GRADIENT_SIGMA);
        int half = kernel.length / 2;
        double[] out = new double[image.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double gx = 0;
                double gy = 0;
                for (int i = -half; i <= half; i++) {
                    int sy = Math.min(height - 1, Math.max(0, y - i));
                    for (int j = -half; j <= half; j++) {
                        int sx = Math.min(width - 1, Math.max(0, x - j));
                        double v = image[sy * width + sx];
                        gx += kernel[i + half][j + half] * v;
                        gy += kernel[j + half][i + half] * v;
                    }
                }
                out[y * width + x] = Math.sqrt(gx * gx + gy * gy);
            }
        }
        return out;
    }

    private static void check(float[] alpha, float[] truth, boolean[] region) {
        if (alpha.length != truth.length || (region != null && region.length != alpha.length)) {
            throw new IllegalArgumentException("mattes and region of different sizes: " + alpha.length + ", "
                    + truth.length + (region == null ? "" : ", " + region.length));
        }
    }
}
