package dev.shm.runtime.model;

import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax over the channel axis of an NCHW activation: trimap logits to class probabilities per pixel. Written out
 * as exp(x - max) / sum: SameDiff's softmax op on a 4-D array with dimension 1 does not normalise over channels in
 * this DL4J version. With DL4J's helpers on it runs in Java, one block of pixels per task: SameDiff's backward pass
 * of those four ops took 0.6 s of an end-to-end step at 320x320 batch 8. The backward pass computes the output
 * again from the input, {@code dx = y (dy - sum_c y dy)}; exp is taken in double, so results agree with SameDiff's
 * to float rounding. With the helpers off it is SameDiff's graph.
 */
public class ChannelSoftmax extends SameDiffLambdaLayer {
    /** Pixels per task: a block of every channel stays in cache. */
    private static final int BLOCK = 4096;

    @Override
    public SDVariable defineLayer(SameDiff sameDiff, SDVariable layerInput) {
        SDVariable shifted = layerInput.sub(layerInput.max(true, 1));
        SDVariable exponentials = sameDiff.math.exp(shifted);
        return exponentials.div(exponentials.sum(true, 1));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType dataType) {
        return CustomLayers.wire(new Implementation(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /** Writes the channel softmax of {@code x} [n, c, h, w] into {@code y}. */
    static void forward(INDArray x, INDArray y) {
        FloatBuffer in = Floats.of(x);
        FloatBuffer out = Floats.of(y);
        eachBlock(x, (at, channels, plane, length) -> {
            float[] values = read(in, at, channels, plane, length, 0);
            softmax(values, channels, length);
            write(out, values, at, channels, plane, length);
        });
    }

    /** Writes the gradient at the input {@code x} of the channel softmax into {@code dx}, given {@code dy}. */
    static void backward(INDArray x, INDArray dy, INDArray dx) {
        FloatBuffer in = Floats.of(x);
        FloatBuffer gradient = Floats.of(dy);
        FloatBuffer out = Floats.of(dx);
        eachBlock(x, (at, channels, plane, length) -> {
            float[] y = read(in, at, channels, plane, length, 0);
            softmax(y, channels, length);
            float[] g = read(gradient, at, channels, plane, length, 1);
            for (int i = 0; i < length; i++) {
                float dot = 0;
                for (int c = 0; c < channels; c++) {
                    dot += y[c * BLOCK + i] * g[c * BLOCK + i];
                }
                for (int c = 0; c < channels; c++) {
                    y[c * BLOCK + i] *= g[c * BLOCK + i] - dot;
                }
            }
            write(out, y, at, channels, plane, length);
        });
    }

    private interface BlockTask {
        /** A block of {@code length} pixels from {@code at}, the offset of its first channel's first pixel. */
        void run(int at, int channels, int plane, int length);
    }

    private static void eachBlock(INDArray x, BlockTask task) {
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        int blocks = (plane + BLOCK - 1) / BLOCK;
        IntStream.range(0, (int) x.size(0) * blocks).parallel().forEach(index -> {
            int n = index / blocks;
            int from = (index % blocks) * BLOCK;
            task.run(n * channels * plane + from, channels, plane, Math.min(BLOCK, plane - from));
        });
    }

    /** The block's channels into this thread's scratch array {@code scratch}, channel c from c * BLOCK. */
    private static float[] read(FloatBuffer buffer, int at, int channels, int plane, int length, int scratch) {
        float[] values = Floats.scratch(scratch, channels * BLOCK);
        for (int c = 0; c < channels; c++) {
            buffer.get(at + c * plane, values, c * BLOCK, length);
        }
        return values;
    }

    private static void write(FloatBuffer buffer, float[] values, int at, int channels, int plane, int length) {
        for (int c = 0; c < channels; c++) {
            buffer.put(at + c * plane, values, c * BLOCK, length);
        }
    }

    /** Each pixel's channels (at c * BLOCK) replaced by exp(v - max) / sum. */
    private static void softmax(float[] values, int channels, int length) {
        for (int i = 0; i < length; i++) {
            float max = values[i];
            for (int c = 1; c < channels; c++) {
                max = Math.max(max, values[c * BLOCK + i]);
            }
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                float e = (float) Math.exp(values[c * BLOCK + i] - max);
                values[c * BLOCK + i] = e;
                sum += e;
            }
            for (int c = 0; c < channels; c++) {
                values[c * BLOCK + i] /= sum;
            }
        }
    }

    static final class Implementation extends org.deeplearning4j.nn.layers.samediff.SameDiffLayer {
        /** Read when the layer is made, as DL4J reads the switch for its helpers. */
        private final boolean kernels = Backend.helpersOn();

        Implementation(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!kernels || !Floats.fits(input) || input.rank() != 4) {
                return super.activate(training, workspaceMgr);
            }
            INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.shape(), 'c');
            forward(input, output);
            return output;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (!kernels || !Floats.fits(input) || !Floats.fits(epsilon) || input.rank() != 4) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                    input.shape(), 'c');
            backward(input, epsilon, inputGradient);
            return new Pair<>(new DefaultGradient(), inputGradient);
        }
    }
}
