package dev.shm.runtime.model;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A depthwise convolution's training passes over NCHW float arrays in SIMD Java ({@code jdk.incubator.vector}),
 * each channel on its own core, one image plane at a time in per-thread arrays that stay in cache. libnd4j's
 * depthwise ops reorder every input and gradient into oneDNN's blocked layout and back, which costs several times
 * their arithmetic at 320x320; a plane needs no reordering. A plane is copied zero-padded and, for stride s > 1,
 * split into s x s phases (every s-th row and column from each offset), so that every kernel tap reads one
 * unit-stride run over all the outputs. Weights are DL4J's [kH, kW, channels, 1]. Sums run in another order than
 * oneDNN's, so results agree to float rounding; a weight's gradient is summed per lane in float over one image plane,
 * then in double. Only used where the JVM has the incubator module ({@link Backend#vectorKernels()}): without it the
 * class cannot initialise.
 */
final class DepthwiseKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /*
     * Splitting two vectors side by side into their even and odd lanes, and joining them back, as rearranges of
     * one vector each and a blend: JDK 17's rearrange of two vectors allocates on every call.
     */
    /** Lane i takes lane 2i (mod LANES): a vector's even lanes in the first half, again in the second. */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(SPECIES, i -> 2 * i % LANES);
    private static final VectorShuffle<Float> ODDS = VectorShuffle.fromOp(SPECIES, i -> (2 * i + 1) % LANES);
    /** Lane i takes lane i / 2 (of the first half), or LANES / 2 + i / 2 (of the second half). */
    private static final VectorShuffle<Float> SPREAD_LOW = VectorShuffle.fromOp(SPECIES, i -> i / 2);
    private static final VectorShuffle<Float> SPREAD_HIGH = VectorShuffle.fromOp(SPECIES, i -> LANES / 2 + i / 2);
    private static final VectorMask<Float> SECOND_HALF = VectorMask.fromLong(SPECIES, -1L << (LANES / 2));
    private static final VectorMask<Float> ODD_LANES = VectorMask.fromLong(SPECIES, 0xAAAAAAAAAAAAAAAAL);

    /** The sizes and padding of one depthwise convolution. */
    record Geometry(int images, int channels, int height, int width, int outHeight, int outWidth, int kernelHeight,
            int kernelWidth, int stride, int padTop, int padLeft) {
        /** The geometry of {@code conf} taking {@code input} [n, c, h, w] to {@code output}. */
        static Geometry of(DepthwiseConvolution2D conf, INDArray input, INDArray output) {
            int[] pad = TransientConvolution.topLeftPadding(input, output, conf);
            return new Geometry((int) input.size(0), (int) input.size(1), (int) input.size(2), (int) input.size(3),
                    (int) output.size(2), (int) output.size(3), conf.getKernelSize()[0], conf.getKernelSize()[1],
                    conf.getStride()[0], pad[0], pad[1]);
        }

        /**
         * A phase's row length: one phase's share of the padded plane's columns (the input's after the left padding,
         * or as far as the kernel reaches).
         */
        int phaseWidth() {
            int paddedWidth = Math.max(padLeft + width, (outWidth - 1) * stride + kernelWidth);
            return (paddedWidth + stride - 1) / stride;
        }

        int phaseHeight() {
            int paddedHeight = Math.max(padTop + height, (outHeight - 1) * stride + kernelHeight);
            return (paddedHeight + stride - 1) / stride;
        }

        /** A phase's length: its rows and enough beyond them for a tap's run of lanes past the last output. */
        int phaseLength() {
            return (phaseHeight() + kernelHeight + 1) * phaseWidth() + kernelWidth + 2 * LANES;
        }

        /** The outputs in phase layout (row oy at oy * phaseWidth), in whole runs of lanes. */
        int outputRun() {
            int outputs = outHeight * phaseWidth();
            return (outputs + LANES - 1) / LANES * LANES;
        }

        /** The gradient of a phase in whole runs of lanes. */
        int phaseRun() {
            int values = phaseHeight() * phaseWidth();
            return (values + LANES - 1) / LANES * LANES;
        }

        /** Zeros before the outputs: how far back a tap reaches from an input to the outputs it feeds. */
        int margin() {
            int reach = (kernelHeight - 1) / stride * phaseWidth() + (kernelWidth - 1) / stride;
            return (reach + LANES - 1) / LANES * LANES;
        }

        int taps() {
            return kernelHeight * kernelWidth;
        }
    }

    private DepthwiseKernels() {
    }

    /** Writes the depthwise convolution of {@code x} into {@code out}; {@code bias} may be null. */
    static void forward(Geometry g, INDArray x, float[] weights, float[] bias, INDArray out) {
        FloatBuffer in = Floats.of(x);
        FloatBuffer result = Floats.of(out);
        IntStream.range(0, g.channels()).parallel().forEach(c -> {
            Plane plane = Plane.forThisThread(g);
            float[] w = channelWeights(g, weights, c);
            FloatVector b = FloatVector.broadcast(SPECIES, bias == null ? 0 : bias[c]);
            int run = g.outputRun();
            int margin = g.margin();
            for (int n = 0; n < g.images(); n++) {
                plane.load(in, (n * g.channels() + c) * g.height() * g.width());
                for (int i = 0; i < run; i += LANES) {
                    FloatVector sum = b;
                    for (int tap = 0; tap < w.length; tap++) {
                        sum = FloatVector.fromArray(SPECIES, plane.source[tap], plane.tapOffset[tap] + i)
                                .fma(FloatVector.broadcast(SPECIES, w[tap]), sum);
                    }
                    sum.intoArray(plane.output, margin + i);
                }
                plane.storeOutput(result, (n * g.channels() + c) * g.outHeight() * g.outWidth());
            }
        });
    }

    /**
     * Writes the gradient at the input of the depthwise convolution of {@code x} into {@code dx}, and its weights'
     * and bias's gradients into {@code dWeights} and {@code dBias} (null without a bias; {@code dWeights} null where
     * the weights are fixed), given {@code dy}.
     */
    static void backward(Geometry g, INDArray x, float[] weights, INDArray dy, INDArray dx, float[] dWeights,
            float[] dBias) {
        FloatBuffer in = Floats.of(x);
        FloatBuffer gradient = Floats.of(dy);
        FloatBuffer result = Floats.of(dx);
        IntStream.range(0, g.channels()).parallel().forEach(c -> {
            Plane plane = Plane.forThisThread(g);
            float[] w = channelWeights(g, weights, c);
            double[] weightSums = new double[w.length];
            double biasSum = 0;
            int run = g.outputRun();
            int phaseRun = g.phaseRun();
            int margin = g.margin();
            for (int n = 0; n < g.images(); n++) {
                if (dWeights != null) {
                    plane.load(in, (n * g.channels() + c) * g.height() * g.width());
                }
                plane.loadGradient(gradient, (n * g.channels() + c) * g.outHeight() * g.outWidth());
                for (int phase = 0; phase < plane.phaseTaps.length; phase++) {
                    int[] taps = plane.phaseTaps[phase];
                    float[] dxPhase = plane.gradientPhases[phase];
                    for (int i = 0; i < phaseRun; i += LANES) {
                        FloatVector sum = FloatVector.zero(SPECIES);
                        for (int tap : taps) {
                            sum = FloatVector.fromArray(SPECIES, plane.outputGradient,
                                    margin + i - plane.tapOffset[tap]).fma(FloatVector.broadcast(SPECIES, w[tap]), sum);
                        }
                        sum.intoArray(dxPhase, i);
                    }
                }
                for (int tap = 0; dWeights != null && tap < w.length; tap++) {
                    float[] source = plane.source[tap];
                    int offset = plane.tapOffset[tap];
                    FloatVector sum = FloatVector.zero(SPECIES);
                    for (int i = 0; i < run; i += LANES) {
                        sum = FloatVector.fromArray(SPECIES, source, offset + i)
                                .fma(FloatVector.fromArray(SPECIES, plane.outputGradient, margin + i), sum);
                    }
                    weightSums[tap] += sum.reduceLanes(VectorOperators.ADD);
                }
                if (dBias != null) {
                    for (int i = 0; i < run; i++) {
                        biasSum += plane.outputGradient[margin + i];
                    }
                }
                plane.storeGradient(result, (n * g.channels() + c) * g.height() * g.width());
            }
            for (int tap = 0; dWeights != null && tap < w.length; tap++) {
                dWeights[tap * g.channels() + c] = (float) weightSums[tap];
            }
            if (dBias != null) {
                dBias[c] = (float) biasSum;
            }
        });
    }

    /** Channel {@code c}'s kernel, row by row, from DL4J's [kH, kW, channels, 1] weights. */
    private static float[] channelWeights(Geometry g, float[] weights, int c) {
        float[] w = new float[g.taps()];
        for (int tap = 0; tap < w.length; tap++) {
            w[tap] = weights[tap * g.channels() + c];
        }
        return w;
    }

    /**
     * One thread's arrays for a plane: the zero-padded input split into s x s phases (phase (py, px) holds rows
     * py, py + s, ... and columns px, px + s, ... of the padded plane), their gradients, the output and the output
     * gradient with rows phaseWidth apart. Output (oy, ox) sits at oy * phaseWidth + ox, and tap (ky, kx) reads it
     * from phase (ky % s, kx % s) at that index plus (ky / s) * phaseWidth + kx / s: every tap is one unit-stride
     * run over all the outputs. A plane of one geometry writes the same places of the input phases and the output
     * gradient each time, so the zeros around them, written when the arrays are made, stay.
     */
    private static final class Plane {
        private static final ThreadLocal<Plane> PER_THREAD = new ThreadLocal<>();

        final Geometry geometry;
        final float[][] phases;
        final float[][] gradientPhases;
        final float[][] source;
        /** The taps that read each phase; in the backward pass, the taps that feed each phase's gradient. */
        final int[][] phaseTaps;
        final int[] tapOffset;
        final float[] output;
        final float[] outputGradient;
        /** At stride 2 or more, a plane as NCHW stores it, copied in or out in one call. */
        private final float[] whole;

        private Plane(Geometry g) {
            geometry = g;
            int s = g.stride();
            phases = new float[s * s][g.phaseLength()];
            gradientPhases = new float[s * s][g.phaseLength()];
            source = new float[g.taps()][];
            tapOffset = new int[g.taps()];
            for (int ky = 0; ky < g.kernelHeight(); ky++) {
                for (int kx = 0; kx < g.kernelWidth(); kx++) {
                    int tap = ky * g.kernelWidth() + kx;
                    source[tap] = phases[ky % s * s + kx % s];
                    tapOffset[tap] = ky / s * g.phaseWidth() + kx / s;
                }
            }
            output = new float[g.margin() + g.outputRun()];
            outputGradient = new float[g.margin() + Math.max(g.outputRun(), g.phaseRun()) + LANES];
            phaseTaps = new int[s * s][];
            for (int phase = 0; phase < s * s; phase++) {
                int py = phase / s;
                int px = phase % s;
                phaseTaps[phase] = IntStream.range(0, g.taps())
                        .filter(tap -> tap / g.kernelWidth() % s == py && tap % g.kernelWidth() % s == px).toArray();
            }
            whole = s == 1 ? null : new float[g.height() * g.width()];
        }

        static Plane forThisThread(Geometry g) {
            Plane plane = PER_THREAD.get();
            if (plane == null || !plane.geometry.equals(g)) {
                plane = new Plane(g);
                PER_THREAD.set(plane);
            }
            return plane;
        }

        /** The input plane at {@code at}, zero-padded and split into phases. */
        void load(FloatBuffer in, int at) {
            Geometry g = geometry;
            if (g.stride() == 1) {
                for (int y = 0; y < g.height(); y++) {
                    in.get(at + y * g.width(), phases[0], unitStrideRow(y), g.width());
                }
                return;
            }
            in.get(at, whole, 0, g.height() * g.width());
            for (int y = 0; y < g.height(); y++) {
                moveRow(y, phases, true);
            }
        }

        /** Where input row {@code y} starts in the one phase of stride 1. */
        private int unitStrideRow(int y) {
            return (y + geometry.padTop()) * geometry.phaseWidth() + geometry.padLeft();
        }

        /**
         * Moves input row {@code y} (stride 2 or more) between {@link #whole} and its places in {@code phaseArrays}
         * (laid out as {@link #phases}): into the phases, or out of them.
         */
        private void moveRow(int y, float[][] phaseArrays, boolean intoPhases) {
            Geometry g = geometry;
            int s = g.stride();
            int paddedRow = y + g.padTop();
            int base = paddedRow / s * g.phaseWidth();
            int row = y * g.width();
            int done = 0;
            if (s == 2) {
                float[] evens = phaseArrays[paddedRow % 2 * 2 + g.padLeft() % 2];
                float[] odds = phaseArrays[paddedRow % 2 * 2 + (g.padLeft() + 1) % 2];
                int evenAt = base + g.padLeft() / 2;
                int oddAt = base + (g.padLeft() + 1) / 2;
                for (; done + 2 * LANES <= g.width(); done += 2 * LANES) {
                    int i = done / 2;
                    if (intoPhases) {
                        FloatVector low = FloatVector.fromArray(SPECIES, whole, row + done);
                        FloatVector high = FloatVector.fromArray(SPECIES, whole, row + done + LANES);
                        low.rearrange(EVENS).blend(high.rearrange(EVENS), SECOND_HALF).intoArray(evens, evenAt + i);
                        low.rearrange(ODDS).blend(high.rearrange(ODDS), SECOND_HALF).intoArray(odds, oddAt + i);
                    } else {
                        FloatVector even = FloatVector.fromArray(SPECIES, evens, evenAt + i);
                        FloatVector odd = FloatVector.fromArray(SPECIES, odds, oddAt + i);
                        even.rearrange(SPREAD_LOW).blend(odd.rearrange(SPREAD_LOW), ODD_LANES)
                                .intoArray(whole, row + done);
                        even.rearrange(SPREAD_HIGH).blend(odd.rearrange(SPREAD_HIGH), ODD_LANES)
                                .intoArray(whole, row + done + LANES);
                    }
                }
            }
            for (int px = 0; px < s; px++) {
                float[] phase = phaseArrays[paddedRow % s * s + px];
                int x = done + Math.floorMod(px - g.padLeft() - done, s);
                for (int j = base + (x + g.padLeft()) / s; x < g.width(); x += s, j++) {
                    if (intoPhases) {
                        phase[j] = whole[row + x];
                    } else {
                        whole[row + x] = phase[j];
                    }
                }
            }
        }

        /** The output's rows to the plane at {@code at}. */
        void storeOutput(FloatBuffer out, int at) {
            Geometry g = geometry;
            for (int oy = 0; oy < g.outHeight(); oy++) {
                out.put(at + oy * g.outWidth(), output, g.margin() + oy * g.phaseWidth(), g.outWidth());
            }
        }

        /** The output gradient at {@code at} into {@link #outputGradient}, in phase layout, zero between the rows. */
        void loadGradient(FloatBuffer gradient, int at) {
            Geometry g = geometry;
            for (int oy = 0; oy < g.outHeight(); oy++) {
                gradient.get(at + oy * g.outWidth(), outputGradient, g.margin() + oy * g.phaseWidth(), g.outWidth());
            }
        }

        /** The input's rows of the phased gradient, joined, to the plane at {@code at}. */
        void storeGradient(FloatBuffer out, int at) {
            Geometry g = geometry;
            if (g.stride() == 1) {
                for (int y = 0; y < g.height(); y++) {
                    out.put(at + y * g.width(), gradientPhases[0], unitStrideRow(y), g.width());
                }
                return;
            }
            for (int y = 0; y < g.height(); y++) {
                moveRow(y, gradientPhases, false);
            }
            out.put(at, whole, 0, g.height() * g.width());
        }
    }
}
