package dev.shm.runtime.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A k x k convolution of stride 1 whose zero padding keeps the image's size, over NCHW, in SIMD Java, computed
 * directly: every output is the sum of {@code in * k * k} products. For layers with few channels on one side
 * ({@link DirectConvolution}), whose passes through libnd4j pad the channels to oneDNN's blocks of 16 and reorder
 * every array into the blocked layout and back.
 *
 * <p>An image's input planes are copied, zero-padded, into rows of {@code pitch = width + k - 1}: output (y, x) sits at
 * {@code y * pitch + x} and reads tap (ky, kx) at that index plus {@code ky * pitch + kx}, so each tap is one
 * unit-stride run over a row of outputs. The output gradient is laid out the same way, with zeros between the rows and
 * around the plane, so that the input gradient gathers the taps the same way in reverse. The channels and taps a sum
 * runs over are one flat loop (a vector accumulated over nested loops is boxed by JDK 17's compiler), and up to four
 * output planes share every value it reads ({@link #gather}). Sums over a
 * plane (the weights' and bias's gradients) run in float per lane over {@link #RUN} outputs, then in double. Only used
 * where the JVM has the incubator module ({@link Backend#vectorKernels()}): without it the class cannot initialise.
 */
final class DirectConvolutionKernels {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = FLOATS.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Output rows a task of the forward pass or the input gradient takes. */
    private static final int BAND = 16;
    /** Output planes a task computes together, from the same values read. */
    private static final int GROUP = 4;
    /** Values a lane sums in float before its sum goes into a double. */
    private static final int RUN = 4096;
    /**
     * The calling thread's padded planes per geometry (of one image): an image writes the same places as the last,
     * so the zeros around them, written when the arrays are made, stay.
     */
    private static final ThreadLocal<Map<Geometry, float[]>> PLANES = ThreadLocal.withInitial(HashMap::new);

    private DirectConvolutionKernels() {
    }

    /** The sizes of one convolution: {@code in} to {@code out} channels, a square odd kernel, padding kernel / 2. */
    record Geometry(int images, int in, int out, int height, int width, int kernel) {
        Geometry {
            if (kernel % 2 == 0) {
                throw new IllegalArgumentException("an odd kernel size keeps the image's size, got " + kernel);
            }
        }

        int pitch() {
            return width + kernel - 1;
        }

        int taps() {
            return kernel * kernel;
        }

        /** Where each tap reads, from an output's index in the padded layout. */
        int[] tapOffsets() {
            int[] offsets = new int[taps()];
            for (int tap = 0; tap < offsets.length; tap++) {
                offsets[tap] = tap / kernel * pitch() + tap % kernel;
            }
            return offsets;
        }

        /** A padded input plane, with a run of lanes' slack after its last row. */
        int paddedLength() {
            return (height + kernel - 1) * pitch() + LANES;
        }

        /** Zeros before a gradient plane: as far back as a tap reaches, in whole runs of lanes. */
        int margin() {
            return ((kernel - 1) * pitch() + kernel - 1 + LANES - 1) / LANES * LANES;
        }

        /** A gradient plane: the margin, the rows, and as far past them as an input's taps reach, with slack. */
        int gradientLength() {
            return margin() + (height + kernel) * pitch() + LANES;
        }

        /** The padded input planes of one image, one after another, this thread's, kept for the next call. */
        float[] paddedInput() {
            return PLANES.get().computeIfAbsent(new Geometry(0, in, 0, height, width, kernel),
                    key -> new float[in * paddedLength()]);
        }

        /** The laid-out output gradient planes of one image, one after another, this thread's, kept. */
        float[] paddedGradient() {
            return PLANES.get().computeIfAbsent(new Geometry(0, 0, out, height, width, kernel),
                    key -> new float[out * gradientLength()]);
        }

        /**
         * Where the forward pass reads each (input channel, tap), in DL4J's order of an output channel's weights,
         * from an output's index in the padded layout.
         */
        int[] inputTaps() {
            int[] offsets = tapOffsets();
            int[] reads = new int[in * taps()];
            for (int j = 0; j < reads.length; j++) {
                reads[j] = j / taps() * paddedLength() + offsets[j % taps()];
            }
            return reads;
        }

        /**
         * Where the input gradient reads each (output channel, tap), from an input's index in the padded layout:
         * the output gradient that tap fed it from.
         */
        int[] gradientTaps() {
            int[] offsets = tapOffsets();
            int[] reads = new int[out * taps()];
            for (int j = 0; j < reads.length; j++) {
                reads[j] = j / taps() * gradientLength() + margin() - offsets[j % taps()];
            }
            return reads;
        }

        /** DL4J's weights [out, in, k, k] as [in, out, k, k]: an input channel's weights in {@link #gradientTaps} order. */
        float[] byInputChannel(float[] weights) {
            float[] transposed = new float[weights.length];
            for (int o = 0; o < out; o++) {
                for (int c = 0; c < in; c++) {
                    System.arraycopy(weights, (o * in + c) * taps(), transposed, (c * out + o) * taps(), taps());
                }
            }
            return transposed;
        }
    }

    /**
     * Writes the convolution of {@code x} [n, in, h, w] by {@code weights} (DL4J's [out, in, k, k], C order) into
     * {@code y} [n, out, h, w]; {@code bias} may be null.
     */
    static void forward(Geometry g, INDArray x, float[] weights, float[] bias, INDArray y) {
        FloatBuffer in = Floats.of(x);
        ByteBuffer result = Floats.bytes(y);
        float[] padded = g.paddedInput();
        int[] reads = g.inputTaps();
        int bands = (g.height() + BAND - 1) / BAND;
        int groups = (g.out() + GROUP - 1) / GROUP;
        for (int n = 0; n < g.images(); n++) {
            int image = n;
            pad(g, in, n, padded);
            IntStream.range(0, groups * bands).parallel().forEach(task -> gather(g, padded, 0, reads, weights, bias,
                    group(task / bands, g.out()), g.out(), image, task % bands * BAND, result));
        }
    }

    /**
     * Writes the gradients at the input ({@code dx}, x's shape), the weights
     * ({@code dWeights}, DL4J's [out, in, k, k] in C order) and the bias ({@code dBias}, null without one) of the
     * convolution of {@code x} by {@code weights}, given {@code dy} at its output.
     */
    static void backward(Geometry g, INDArray x, float[] weights, INDArray dy, INDArray dx, float[] dWeights,
            float[] dBias) {
        FloatBuffer in = Floats.of(x);
        FloatBuffer gradient = Floats.of(dy);
        ByteBuffer result = Floats.bytes(dx);
        float[] padded = g.paddedInput();
        float[] outputGradient = g.paddedGradient();
        double[] weightSums = new double[dWeights.length];
        double[] biasSums = new double[g.out()];
        int[] offsets = g.tapOffsets();
        int[] reads = g.gradientTaps();
        float[] byInput = g.byInputChannel(weights);
        int plane = g.height() * g.pitch();
        int bands = (g.height() + BAND - 1) / BAND;
        int groups = (g.in() + GROUP - 1) / GROUP;
        int shift = g.kernel() / 2 * (g.pitch() + 1);
        for (int n = 0; n < g.images(); n++) {
            int image = n;
            pad(g, in, n, padded);
            IntStream.range(0, g.out()).parallel().forEach(o -> {
                for (int row = 0; row < g.height(); row++) {
                    gradient.get(((image * g.out() + o) * g.height() + row) * g.width(), outputGradient,
                            o * g.gradientLength() + g.margin() + row * g.pitch(), g.width());
                }
            });
            IntStream.range(0, g.out() * g.in()).parallel().forEach(pair -> {
                int o = pair / g.in();
                int c = pair % g.in();
                int outputAt = o * g.gradientLength() + g.margin();
                int inputAt = c * g.paddedLength();
                for (int from = 0; from < plane; from += RUN) {
                    int length = Math.min(RUN, plane - from);
                    for (int t = 0; t < offsets.length; t++) {
                        weightSums[pair * offsets.length + t] += dot(outputGradient, outputAt + from, padded,
                                inputAt + offsets[t] + from, length);
                    }
                }
                if (c == 0 && dBias != null) {
                    biasSums[o] += sum(outputGradient, outputAt, plane);
                }
            });
            IntStream.range(0, groups * bands).parallel().forEach(task -> gather(g, outputGradient, shift, reads,
                    byInput, null, group(task / bands, g.in()), g.in(), image, task % bands * BAND, result));
        }
        for (int i = 0; i < dWeights.length; i++) {
            dWeights[i] = (float) weightSums[i];
        }
        for (int o = 0; dBias != null && o < g.out(); o++) {
            dBias[o] = (float) biasSums[o];
        }
    }

    /** The planes of group {@code index}: up to {@link #GROUP} of {@code planes}. */
    private static int[] group(int index, int planes) {
        return IntStream.range(index * GROUP, Math.min(planes, (index + 1) * GROUP)).toArray();
    }

    /**
     * Rows {@code from} to {@code from + BAND} of the output planes {@code group} of {@code image} (of
     * {@code channels}): plane p's value at padded index i is its bias plus, in order of j, the sum of
     * {@code source[shift + i + reads[j]] * weights[p * reads.length + j]}. The forward pass gathers the input's taps
     * so; the input gradient gathers the output gradient's taps (their reads include its margin) with each input
     * channel's weights. Up to four planes share every value read, each summing in the same order as alone.
     */
    private static void gather(Geometry g, float[] source, int shift, int[] reads, float[] weights, float[] bias,
            int[] group, int channels, int image, int from, ByteBuffer result) {
        int count = group.length;
        int w0 = group[0] * reads.length;
        int w1 = group[Math.min(1, count - 1)] * reads.length;
        int w2 = group[Math.min(2, count - 1)] * reads.length;
        int w3 = group[Math.min(3, count - 1)] * reads.length;
        float b0 = bias == null ? 0 : bias[group[0]];
        float b1 = bias == null ? 0 : bias[group[Math.min(1, count - 1)]];
        float b2 = bias == null ? 0 : bias[group[Math.min(2, count - 1)]];
        float b3 = bias == null ? 0 : bias[group[Math.min(3, count - 1)]];
        int last = Math.min(g.height(), from + BAND);
        int planeLength = g.height() * g.width();
        for (int row = from; row < last; row++) {
            int at = ((image * channels + group[0]) * g.height() + row) * g.width();
            for (int col = 0; col < g.width(); col += LANES) {
                int index = shift + row * g.pitch() + col;
                int left = g.width() - col;
                if (count == 1) {
                    FloatVector s0 = FloatVector.broadcast(FLOATS, b0);
                    for (int j = 0; j < reads.length; j++) {
                        s0 = FloatVector.fromArray(FLOATS, source, index + reads[j])
                                .fma(FloatVector.broadcast(FLOATS, weights[w0 + j]), s0);
                    }
                    store(s0, result, at + col, left);
                    continue;
                }
                FloatVector s0 = FloatVector.broadcast(FLOATS, b0);
                FloatVector s1 = FloatVector.broadcast(FLOATS, b1);
                FloatVector s2 = FloatVector.broadcast(FLOATS, b2);
                FloatVector s3 = FloatVector.broadcast(FLOATS, b3);
                for (int j = 0; j < reads.length; j++) {
                    FloatVector v = FloatVector.fromArray(FLOATS, source, index + reads[j]);
                    s0 = v.fma(FloatVector.broadcast(FLOATS, weights[w0 + j]), s0);
                    s1 = v.fma(FloatVector.broadcast(FLOATS, weights[w1 + j]), s1);
                    s2 = v.fma(FloatVector.broadcast(FLOATS, weights[w2 + j]), s2);
                    s3 = v.fma(FloatVector.broadcast(FLOATS, weights[w3 + j]), s3);
                }
                store(s0, result, at + col, left);
                store(s1, result, at + planeLength + col, left);
                if (count > 2) {
                    store(s2, result, at + 2 * planeLength + col, left);
                }
                if (count > 3) {
                    store(s3, result, at + 3 * planeLength + col, left);
                }
            }
        }
    }

    /** Image {@code n}'s input planes into {@code padded}, each row at its place; the zeros around them stay. */
    private static void pad(Geometry g, FloatBuffer in, int n, float[] padded) {
        int pad = g.kernel() / 2;
        IntStream.range(0, g.in()).parallel().forEach(c -> {
            for (int row = 0; row < g.height(); row++) {
                in.get(((n * g.in() + c) * g.height() + row) * g.width(), padded,
                        c * g.paddedLength() + (row + pad) * g.pitch() + pad, g.width());
            }
        });
    }

    /**
     * The first {@code length} values (at most {@link #RUN}) of {@code a} from {@code atA} times those of {@code b}
     * from {@code atB}, summed per lane in float.
     */
    private static float dot(float[] a, int atA, float[] b, int atB, int length) {
        FloatVector sum = FloatVector.zero(FLOATS);
        int i = 0;
        for (; i + LANES <= length; i += LANES) {
            sum = FloatVector.fromArray(FLOATS, a, atA + i).fma(FloatVector.fromArray(FLOATS, b, atB + i), sum);
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            total += a[atA + i] * b[atB + i];
        }
        return total;
    }

    private static double sum(float[] a, int at, int length) {
        double total = 0;
        for (int from = 0; from < length; from += RUN) {
            int to = Math.min(length, from + RUN);
            FloatVector sum = FloatVector.zero(FLOATS);
            int i = from;
            for (; i + LANES <= to; i += LANES) {
                sum = sum.add(FloatVector.fromArray(FLOATS, a, at + i));
            }
            total += sum.reduceLanes(VectorOperators.ADD);
            for (; i < to; i++) {
                total += a[at + i];
            }
        }
        return total;
    }

    /** The first {@code left} lanes (all where that is more) of {@code values} to the floats at {@code index}. */
    private static void store(FloatVector values, ByteBuffer out, int index, int left) {
        if (left >= LANES) {
            values.intoByteBuffer(out, index * Float.BYTES, ORDER);
        } else {
            values.intoByteBuffer(out, index * Float.BYTES, ORDER, VectorMask.fromLong(FLOATS, (1L << left) - 1));
        }
    }
}
