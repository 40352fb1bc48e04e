package dev.shm.runtime.model;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation's training passes over NCHW float arrays ({@link Floats#fits}), each channel on its own core,
 * one image plane at a time copied into a per-thread array that stays in cache. A pass reads its inputs once and
 * writes its output once, with no temporary arrays: the forward pass measures a channel's mean and (biased)
 * variance, then writes {@code gamma * (x - mean) / sqrt(var + eps) + beta}; the backward pass sums {@code dy} and
 * {@code dy * (x - mean)}, then writes the input's gradient. Sums are taken in double, in four interleaved partial
 * sums per quantity, so the results differ from oneDNN's in the order of float rounding only. A JVM with shm's SIMD
 * kernels ({@link Backend#vectorKernels()}) runs the same passes in {@link VectorKernels} instead.
 */
final class BatchNormKernels {
    /**
     * A channel's batch mean and biased variance, as the forward pass measured them, and the scale it normalised
     * with, from which the backward pass computes the forward pass's output again, bit for bit.
     */
    record Statistics(float[] mean, float[] variance, float[] scale) {
    }

    /** {@code upperBits} for a backward pass with no activation after the batch norm. */
    static final int NO_ACTIVATION = 0;

    private BatchNormKernels() {
    }

    /** Writes the batch-normalised {@code x} into {@code out} (same shape) and returns the batch statistics. */
    static Statistics forward(INDArray x, float[] gamma, float[] beta, double eps, INDArray out) {
        int images = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        FloatBuffer in = Floats.of(x);
        FloatBuffer result = Floats.of(out);
        float[] mean = new float[channels];
        float[] variance = new float[channels];
        float[] scales = new float[channels];
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] values = Floats.scratch(0, plane);
            double shift = in.get(c * plane);
            double[] sums = new double[8];
            for (int n = 0; n < images; n++) {
                in.get((n * channels + c) * plane, values, 0, plane);
                sumShifted(values, plane, shift, sums);
            }
            float scale = measure(c, shift, sums[0] + sums[1] + sums[2] + sums[3], sums[4] + sums[5] + sums[6] + sums[7],
                    (double) images * plane, gamma[c], eps, mean, variance);
            scales[c] = scale;
            // centred before scaling: x * scale + (beta - mean * scale) would cancel where the mean is large
            float centre = mean[c];
            float offset = beta[c];
            for (int n = 0; n < images; n++) {
                int at = (n * channels + c) * plane;
                in.get(at, values, 0, plane);
                for (int i = 0; i < plane; i++) {
                    values[i] = (values[i] - centre) * scale + offset;
                }
                result.put(at, values, 0, plane);
            }
        });
        return new Statistics(mean, variance, scales);
    }

    /**
     * Writes the gradient at the input of a batch norm that normalised {@code x} with {@code statistics} into
     * {@code dx}, given the gradient {@code dy} at its output, and fills {@code dGamma} and {@code dBeta}. With
     * {@code upperBits} other than {@link #NO_ACTIVATION}, {@code dy} is the gradient after a ReLU or ReLU6 that
     * followed the batch norm ({@link InPlaceActivation#upperBits}), and the pass takes it only where the
     * activation was active, from the batch norm's output computed again.
     */
    static void backward(INDArray x, INDArray dy, Statistics statistics, float[] gamma, float[] beta, double eps,
            int upperBits, INDArray dx, float[] dGamma, float[] dBeta) {
        int images = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        FloatBuffer in = Floats.of(x);
        FloatBuffer gradient = Floats.of(dy);
        FloatBuffer result = Floats.of(dx);
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] values = Floats.scratch(0, plane);
            float[] gradients = Floats.scratch(1, plane);
            double mean = statistics.mean()[c];
            double[] sums = new double[8];
            for (int n = 0; n < images; n++) {
                int at = (n * channels + c) * plane;
                in.get(at, values, 0, plane);
                gradient.get(at, gradients, 0, plane);
                mask(values, gradients, plane, statistics, c, beta[c], upperBits);
                sumGradients(values, gradients, plane, mean, sums);
            }
            float[] terms = gradientTerms(c, sums[0] + sums[1] + sums[2] + sums[3], sums[4] + sums[5] + sums[6] + sums[7],
                    (double) images * plane, statistics.variance()[c], gamma[c], eps, dGamma, dBeta);
            float centre = statistics.mean()[c];
            float p = terms[0];
            float q = terms[1];
            float r = terms[2];
            for (int n = 0; n < images; n++) {
                int at = (n * channels + c) * plane;
                in.get(at, values, 0, plane);
                gradient.get(at, gradients, 0, plane);
                mask(values, gradients, plane, statistics, c, beta[c], upperBits);
                for (int i = 0; i < plane; i++) {
                    values[i] = gradients[i] * p + (values[i] - centre) * q + r;
                }
                result.put(at, values, 0, plane);
            }
        });
    }

    /**
     * Channel {@code c}'s batch mean and (biased) variance into {@code mean} and {@code variance}, from the sums of
     * {@code x - shift} and of its squares over {@code count} values; returns the scale gamma / sqrt(var + eps).
     */
    static float measure(int c, double shift, double sum, double squares, double count, float gamma, double eps,
            float[] mean, float[] variance) {
        double m = sum / count;
        double v = Math.max(squares / count - m * m, 0);
        mean[c] = (float) (shift + m);
        variance[c] = (float) v;
        return (float) (gamma / Math.sqrt(v + eps));
    }

    /**
     * Channel {@code c}'s gradients of gamma and beta into {@code dGamma} and {@code dBeta}, from the sums of dy and
     * of dy (x - mean) over {@code count} values; returns p, q and r of dx = p dy + q (x - mean) + r, which is
     * k (dy - mean(dy) - (x - mean) inverseStd^2 mean(dy (x - mean))) with k = gamma inverseStd.
     */
    static float[] gradientTerms(int c, double sumDy, double sumDyCentred, double count, float variance, float gamma,
            double eps, float[] dGamma, float[] dBeta) {
        double inverseStd = 1 / Math.sqrt(variance + eps);
        dBeta[c] = (float) sumDy;
        dGamma[c] = (float) (sumDyCentred * inverseStd);
        double k = gamma * inverseStd;
        return new float[] {(float) k, (float) (-k * inverseStd * inverseStd * sumDyCentred / count),
            (float) (-k * sumDy / count)};
    }

    /**
     * Zeroes the gradients of channel {@code c} where its activation was not active: where the forward pass's
     * output {@code (x - mean) * scale + beta}, computed again in the same float operations, is not strictly
     * between 0 and the float of {@code upperBits} ({@link InPlaceActivation#passWhereActive}'s test).
     */
    private static void mask(float[] values, float[] gradients, int length, Statistics statistics, int c, float beta,
            int upperBits) {
        if (upperBits == NO_ACTIVATION) {
            return;
        }
        float centre = statistics.mean()[c];
        float scale = statistics.scale()[c];
        for (int i = 0; i < length; i++) {
            gradients[i] = InPlaceActivation.pass((values[i] - centre) * scale + beta, gradients[i], upperBits);
        }
    }

    /** Adds Σ(x - shift) to sums[0..3] and Σ(x - shift)² to sums[4..7]. */
    private static void sumShifted(float[] values, int length, double shift, double[] sums) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            double a = values[i] - shift;
            double b = values[i + 1] - shift;
            double c = values[i + 2] - shift;
            double d = values[i + 3] - shift;
            s0 += a;
            s1 += b;
            s2 += c;
            s3 += d;
            q0 += a * a;
            q1 += b * b;
            q2 += c * c;
            q3 += d * d;
        }
        for (; i < length; i++) {
            double a = values[i] - shift;
            s0 += a;
            q0 += a * a;
        }
        add(sums, s0, s1, s2, s3, q0, q1, q2, q3);
    }

    /** Adds Σdy to sums[0..3] and Σdy(x - mean) to sums[4..7]. */
    private static void sumGradients(float[] values, float[] gradients, int length, double mean, double[] sums) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            double a = gradients[i];
            double b = gradients[i + 1];
            double c = gradients[i + 2];
            double d = gradients[i + 3];
            s0 += a;
            s1 += b;
            s2 += c;
            s3 += d;
            q0 += a * (values[i] - mean);
            q1 += b * (values[i + 1] - mean);
            q2 += c * (values[i + 2] - mean);
            q3 += d * (values[i + 3] - mean);
        }
        for (; i < length; i++) {
            s0 += gradients[i];
            q0 += gradients[i] * (values[i] - mean);
        }
        add(sums, s0, s1, s2, s3, q0, q1, q2, q3);
    }

    /** Adds four partial sums of each of two quantities to sums[0..3] and sums[4..7]. */
    private static void add(double[] sums, double s0, double s1, double s2, double s3, double q0, double q1, double q2,
            double q3) {
        sums[0] += s0;
        sums[1] += s1;
        sums[2] += s2;
        sums[3] += s3;
        sums[4] += q0;
        sums[5] += q1;
        sums[6] += q2;
        sums[7] += q3;
    }
}
