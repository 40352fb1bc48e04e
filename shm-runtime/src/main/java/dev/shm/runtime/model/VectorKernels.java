package dev.shm.runtime.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link BatchNormKernels}' passes and {@link InPlaceActivation}'s gradient mask in SIMD Java
 * ({@code jdk.incubator.vector}), reading and writing the arrays' native memory directly: the scalar kernels copy
 * every plane into a Java array and back, which left them at a third of the memory bandwidth that ND4J's own
 * element-wise ops reach. The same arithmetic as the scalar kernels, with sums taken per lane in float over runs of
 * {@link #RUN} values, then in double. A channel's second pass goes over its images in reverse, so that it starts on
 * the planes the first pass read last, which the cache may still hold. Only used where the JVM has the incubator module
 * ({@link Backend#vectorKernels()}): without it the class cannot initialise.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int LANES = FLOATS.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Values a lane sums in float before its sum goes into a double. */
    private static final int RUN = 1024;
    /** Values a task of the gradient mask takes. */
    private static final int BLOCK = 1 << 16;

    private VectorKernels() {
    }

    /**
     * {@link BatchNormKernels#forward}: writes the batch-normalised {@code x} into {@code out}, then the ReLU or ReLU6
     * of {@code upperBits} ({@link InPlaceActivation#upperBits}; {@link BatchNormKernels#NO_ACTIVATION} for none) on
     * each value, as libnd4j computes them: {@code y < 0 ? 0 : y}, then for ReLU6 {@code r < 6 ? r : 6}.
     */
    static BatchNormKernels.Statistics batchNormForward(INDArray x, float[] gamma, float[] beta, double eps,
            int upperBits, INDArray out) {
        boolean activated = upperBits != BatchNormKernels.NO_ACTIVATION;
        boolean capped = activated && upperBits <= Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
        float upper = Float.intBitsToFloat(upperBits);
        int images = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        ByteBuffer in = Floats.bytes(x);
        ByteBuffer result = Floats.bytes(out);
        float[] mean = new float[channels];
        float[] variance = new float[channels];
        float[] scales = new float[channels];
        IntStream.range(0, channels).parallel().forEach(c -> {
            float shift = in.getFloat(c * plane * Float.BYTES);
            double sum = 0;
            double squares = 0;
            for (int n = 0; n < images; n++) {
                int at = (n * channels + c) * plane * Float.BYTES;
                for (int from = 0; from < plane; from += RUN) {
                    int to = Math.min(plane, from + RUN);
                    FloatVector s = FloatVector.zero(FLOATS);
                    FloatVector q = FloatVector.zero(FLOATS);
                    int i = from;
                    for (; i + LANES <= to; i += LANES) {
                        FloatVector v = FloatVector.fromByteBuffer(FLOATS, in, at + i * Float.BYTES, ORDER).sub(shift);
                        s = s.add(v);
                        q = v.fma(v, q);
                    }
                    sum += s.reduceLanes(VectorOperators.ADD);
                    squares += q.reduceLanes(VectorOperators.ADD);
                    for (; i < to; i++) {
                        double v = in.getFloat(at + i * Float.BYTES) - shift;
                        sum += v;
                        squares += v * v;
                    }
                }
            }
            float scale = BatchNormKernels.measure(c, shift, sum, squares, (double) images * plane, gamma[c], eps, mean,
                    variance);
            scales[c] = scale;
            // centred before scaling: x * scale + (beta - mean * scale) would cancel where the mean is large
            float centre = mean[c];
            float offset = beta[c];
            for (int n = images - 1; n >= 0; n--) {
                int at = (n * channels + c) * plane * Float.BYTES;
                int i = 0;
                for (; i + LANES <= plane; i += LANES) {
                    FloatVector y = FloatVector.fromByteBuffer(FLOATS, in, at + i * Float.BYTES, ORDER).sub(centre)
                            .mul(scale).add(offset);
                    if (activated) {
                        y = activate(y, capped, upper);
                    }
                    y.intoByteBuffer(result, at + i * Float.BYTES, ORDER);
                }
                for (; i < plane; i++) {
                    float y = (in.getFloat(at + i * Float.BYTES) - centre) * scale + offset;
                    result.putFloat(at + i * Float.BYTES, activated ? activate(y, capped, upper) : y);
                }
            }
        });
        return new BatchNormKernels.Statistics(mean, variance, scales);
    }

    /** ReLU as libnd4j computes it, {@code y < 0 ? 0 : y}, then where {@code capped}, {@code r < upper ? r : upper}. */
    static FloatVector activate(FloatVector y, boolean capped, float upper) {
        FloatVector r = y.blend(0f, y.lt(0f));
        return capped ? r.blend(upper, r.lt(upper).not()) : r;
    }

    static float activate(float y, boolean capped, float upper) {
        float r = y < 0 ? 0 : y;
        return capped && !(r < upper) ? upper : r;
    }

    /** {@link BatchNormKernels#backward}: writes the gradient at the batch norm's input into {@code dx}. */
    static void batchNormBackward(INDArray x, INDArray dy, BatchNormKernels.Statistics statistics, float[] gamma,
            float[] beta, double eps, int upperBits, INDArray dx, float[] dGamma, float[] dBeta) {
        int images = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        ByteBuffer in = Floats.bytes(x);
        ByteBuffer gradient = Floats.bytes(dy);
        ByteBuffer result = Floats.bytes(dx);
        boolean masked = upperBits != BatchNormKernels.NO_ACTIVATION;
        IntStream.range(0, channels).parallel().forEach(c -> {
            float mean = statistics.mean()[c];
            float scale = statistics.scale()[c];
            float offset = beta[c];
            double sumDy = 0;
            double sumDyCentred = 0;
            for (int n = 0; n < images; n++) {
                int at = (n * channels + c) * plane * Float.BYTES;
                for (int from = 0; from < plane; from += RUN) {
                    int to = Math.min(plane, from + RUN);
                    FloatVector s = FloatVector.zero(FLOATS);
                    FloatVector q = FloatVector.zero(FLOATS);
                    int i = from;
                    for (; i + LANES <= to; i += LANES) {
                        FloatVector centred = FloatVector.fromByteBuffer(FLOATS, in, at + i * Float.BYTES, ORDER)
                                .sub(mean);
                        FloatVector g = FloatVector.fromByteBuffer(FLOATS, gradient, at + i * Float.BYTES, ORDER);
                        if (masked) {
                            g = active(centred, scale, offset, upperBits, g);
                        }
                        s = s.add(g);
                        q = g.fma(centred, q);
                    }
                    sumDy += s.reduceLanes(VectorOperators.ADD);
                    sumDyCentred += q.reduceLanes(VectorOperators.ADD);
                    for (; i < to; i++) {
                        float centred = in.getFloat(at + i * Float.BYTES) - mean;
                        double g = active(centred, scale, offset, upperBits, gradient.getFloat(at + i * Float.BYTES));
                        sumDy += g;
                        sumDyCentred += g * centred;
                    }
                }
            }
            float[] terms = BatchNormKernels.gradientTerms(c, sumDy, sumDyCentred, (double) images * plane,
                    statistics.variance()[c], gamma[c], eps, dGamma, dBeta);
            float p = terms[0];
            float q = terms[1];
            float r = terms[2];
            for (int n = images - 1; n >= 0; n--) {
                int at = (n * channels + c) * plane * Float.BYTES;
                int i = 0;
                for (; i + LANES <= plane; i += LANES) {
                    FloatVector g = FloatVector.fromByteBuffer(FLOATS, gradient, at + i * Float.BYTES, ORDER);
                    FloatVector centred = FloatVector.fromByteBuffer(FLOATS, in, at + i * Float.BYTES, ORDER).sub(mean);
                    if (masked) {
                        g = active(centred, scale, offset, upperBits, g);
                    }
                    g.mul(p).add(centred.mul(q)).add(r).intoByteBuffer(result, at + i * Float.BYTES, ORDER);
                }
                for (; i < plane; i++) {
                    float centred = in.getFloat(at + i * Float.BYTES) - mean;
                    float g = active(centred, scale, offset, upperBits, gradient.getFloat(at + i * Float.BYTES));
                    result.putFloat(at + i * Float.BYTES, g * p + centred * q + r);
                }
            }
        });
    }

    /**
     * {@code g} where the batch norm's output {@code centred * scale + offset} (the forward pass's float operations)
     * passed the activation of {@code upperBits}, else 0.
     */
    private static FloatVector active(FloatVector centred, float scale, float offset, int upperBits, FloatVector g) {
        IntVector active = activeLanes(centred.mul(scale).add(offset).reinterpretAsInts(), upperBits);
        return g.reinterpretAsInts().and(active).reinterpretAsFloats();
    }

    private static float active(float centred, float scale, float offset, int upperBits, float g) {
        return upperBits == BatchNormKernels.NO_ACTIVATION ? g
                : InPlaceActivation.pass(centred * scale + offset, g, upperBits);
    }

    /** All ones in the lanes where 0 < activation < upper, from the activations' bits ({@link InPlaceActivation#pass}). */
    private static IntVector activeLanes(IntVector bits, int upperBits) {
        return bits.neg().and(bits.sub(upperBits)).lanewise(VectorOperators.ASHR, 31);
    }

    /** {@link InPlaceActivation#passWhereActive}, over whole arrays of {@code length} values. */
    static void passWhereActive(INDArray activation, INDArray gradient, int upperBits, INDArray out, int length) {
        ByteBuffer y = Floats.bytes(activation);
        ByteBuffer g = Floats.bytes(gradient);
        ByteBuffer result = Floats.bytes(out);
        IntStream.range(0, (length + BLOCK - 1) / BLOCK).parallel().forEach(block -> {
            int from = block * BLOCK;
            int to = Math.min(length, from + BLOCK);
            int i = from;
            for (; i + INTS.length() <= to; i += INTS.length()) {
                IntVector active = activeLanes(IntVector.fromByteBuffer(INTS, y, i * Float.BYTES, ORDER), upperBits);
                IntVector.fromByteBuffer(INTS, g, i * Float.BYTES, ORDER).and(active)
                        .intoByteBuffer(result, i * Float.BYTES, ORDER);
            }
            for (; i < to; i++) {
                result.putFloat(i * Float.BYTES,
                        InPlaceActivation.pass(y.getFloat(i * Float.BYTES), g.getFloat(i * Float.BYTES), upperBits));
            }
        });
    }
}
