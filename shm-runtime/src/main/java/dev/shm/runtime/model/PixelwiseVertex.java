package dev.shm.runtime.model;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaVertex;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A vertex without parameters whose output pixel depends only on its inputs' values at that pixel (the fusion of the
 * trimap probabilities with the raw matte, the composition head): defined in SameDiff, as DL4J runs it with the
 * helpers off, and with the helpers on computed in Java, image by image, by {@link #forward} and {@link #backward}
 * over each image's channel planes. SameDiff's session took about 85 ms of an end-to-end step at 320x320, batch 8,
 * for the composition's backward pass alone.
 */
public abstract class PixelwiseVertex extends SameDiffLambdaVertex {
    /**
     * SameDiff's backward pass of these vertices gives twice the analytic gradient in this DL4J version (as it did for
     * {@link ChannelSoftmax}); the Java path scales its gradients alike, so that training does not change with it.
     */
    static final float SAMEDIFF_GRADIENT_SCALE = 2;

    /** The channels of the output. */
    abstract int outputChannels();

    /**
     * Writes the output of one image, {@code out} ({@link #outputChannels} planes of {@code plane} pixels), from its
     * inputs, each its channel planes one after another.
     */
    abstract void forward(float[][] inputs, float[] out, int plane);

    /**
     * Writes the analytic gradients at one image's inputs, {@code gradients}, from the gradient at its output,
     * {@code dOut}.
     */
    abstract void backward(float[][] inputs, float[] dOut, float[][] gradients, int plane);

    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
            boolean initializeParams, DataType networkDatatype) {
        super.instantiate(graph, name, idx, paramsView, initializeParams, networkDatatype);
        return new Implementation(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    static final class Implementation extends SameDiffGraphVertex {
        private final PixelwiseVertex vertex;
        /** Read when the vertex is made, as DL4J reads the switch for its helpers. */
        private final boolean helpers = Backend.helpersOn();

        Implementation(PixelwiseVertex vertex, ComputationGraph graph, String name, int index, INDArray paramsView,
                boolean initializeParams, DataType dataType) {
            super(vertex, graph, name, index, paramsView, initializeParams, dataType);
            this.vertex = vertex;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!java()) {
                return super.doForward(training, workspaceMgr);
            }
            long[] shape = inputs[0].shape().clone();
            shape[1] = vertex.outputChannels();
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, shape, 'c');
            int plane = plane();
            int outputLength = vertex.outputChannels() * plane;
            FloatBuffer sink = Floats.of(out);
            INDArray[] runs = inputRuns();
            IntStream.range(0, (int) out.size(0)).parallel().forEach(n -> {
                float[] image = new float[outputLength];
                vertex.forward(read(runs, n), image, plane);
                sink.put(n * outputLength, image);
            });
            return out;
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (!java()) {
                return super.doBackward(tbptt, workspaceMgr);
            }
            INDArray[] gradients = new INDArray[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                gradients[i] = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                        inputs[i].shape(), 'c');
            }
            int plane = plane();
            int outputLength = vertex.outputChannels() * plane;
            FloatBuffer dOut = Floats.of(Floats.fitting(epsilon));
            FloatBuffer[] sinks = new FloatBuffer[gradients.length];
            for (int i = 0; i < gradients.length; i++) {
                sinks[i] = Floats.of(gradients[i]);
            }
            INDArray[] runs = inputRuns();
            IntStream.range(0, (int) inputs[0].size(0)).parallel().forEach(n -> {
                float[][] values = read(runs, n);
                float[] dImage = new float[outputLength];
                dOut.get(n * outputLength, dImage);
                float[][] dInputs = new float[inputs.length][];
                for (int i = 0; i < inputs.length; i++) {
                    dInputs[i] = new float[values[i].length];
                }
                vertex.backward(values, dImage, dInputs, plane);
                for (int i = 0; i < inputs.length; i++) {
                    for (int j = 0; j < dInputs[i].length; j++) {
                        dInputs[i][j] *= SAMEDIFF_GRADIENT_SCALE;
                    }
                    sinks[i].put(n * dInputs[i].length, dInputs[i]);
                }
            });
            return new Pair<>(new DefaultGradient(), gradients);
        }

        /** Whether this vertex has run SameDiff's graph, which it builds on first use. */
        boolean ranSameDiff() {
            return sameDiff != null;
        }

        /**
         * Whether Java runs the vertex: with DL4J's helpers on, over 4-d float inputs. Inputs and output gradients that
         * are not one C-order run (the loss layer hands back a permuted view) are read through copies.
         */
        private boolean java() {
            if (!helpers) {
                return false;
            }
            for (INDArray input : inputs) {
                if (input == null || input.rank() != 4 || input.dataType() != DataType.FLOAT) {
                    return false;
                }
            }
            return true;
        }

        private int plane() {
            return (int) (inputs[0].size(2) * inputs[0].size(3));
        }

        /** Image {@code n}'s values of every input in {@code runs} (the inputs, each in one C-order run). */
        private static float[][] read(INDArray[] runs, int n) {
            float[][] values = new float[runs.length][];
            for (int i = 0; i < runs.length; i++) {
                int length = (int) (runs[i].length() / runs[i].size(0));
                values[i] = new float[length];
                Floats.of(runs[i]).get(n * length, values[i]);
            }
            return values;
        }

        private INDArray[] inputRuns() {
            INDArray[] runs = new INDArray[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                runs[i] = Floats.fitting(inputs[i]);
            }
            return runs;
        }
    }
}
