package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ChannelSoftmaxTest {
    static {
        Backend.init();
    }

    /** Two channels, logits 0 and ln 3: y = (1/4, 3/4); dy = (1, 0) gives dx = y (dy - 1/4) = (3/16, -3/16). */
    @Test
    void computesHandCheckedValues() {
        INDArray x = Nd4j.createFromArray(new float[] {0, (float) Math.log(3)}).reshape(1, 2, 1, 1);
        INDArray y = Nd4j.create(DataType.FLOAT, 1, 2, 1, 1);
        ChannelSoftmax.forward(x, y);
        assertEquals(0.25, y.getDouble(0, 0, 0, 0), 1e-7);
        assertEquals(0.75, y.getDouble(0, 1, 0, 0), 1e-7);
        INDArray dx = Nd4j.create(DataType.FLOAT, 1, 2, 1, 1);
        ChannelSoftmax.backward(x, Nd4j.createFromArray(new float[] {1, 0}).reshape(1, 2, 1, 1), dx);
        assertEquals(3.0 / 16, dx.getDouble(0, 0, 0, 0), 1e-7);
        assertEquals(-3.0 / 16, dx.getDouble(0, 1, 0, 0), 1e-7);
    }

    /**
     * Over more pixels than one block, with large logits: the forward pass agrees with SameDiff's graph of the layer,
     * and the backward pass with the analytic gradient y (dy - sum_c y dy), which SameDiff's backward pass of that
     * graph doubles in this DL4J version (the helpers-off path keeps it as DL4J computes it).
     */
    @Test
    void agreesWithSameDiffsForwardPassAndTheAnalyticGradient() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 70, 90).muli(20);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 2, 3, 70, 90);
        Pair<INDArray, INDArray> kernels = passes(true, x, dy);
        Pair<INDArray, INDArray> sameDiff = passes(false, x, dy);
        INDArray y = sameDiff.getFirst();
        assertEquals(0, y.sub(kernels.getFirst()).amaxNumber().doubleValue(), 1e-6);
        INDArray analytic = y.mul(dy.sub(y.mul(dy).sum(true, 1)));
        double scale = analytic.amaxNumber().doubleValue();
        assertEquals(0, analytic.sub(kernels.getSecond()).amaxNumber().doubleValue(), 1e-5 * scale);
        assertEquals(0, analytic.mul(2).sub(sameDiff.getSecond()).amaxNumber().doubleValue(), 1e-5 * scale);
    }

    /** The layer's output and input gradient, with shm's kernels or with SameDiff's graph. */
    private static Pair<INDArray, INDArray> passes(boolean helpers, INDArray x, INDArray dy) {
        return Dl4jLayers.computeWithHelpers(helpers, () -> {
            ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                    .addInputs("in").addLayer("softmax", new ChannelSoftmax(), "in").setOutputs("softmax")
                    .setInputTypes(InputType.convolutional(70, 90, 3)).build());
            graph.init();
            Layer layer = graph.getLayer("softmax");
            LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
            INDArray y = layer.activate(x, true, none).dup();
            INDArray dx = layer.backpropGradient(dy, none).getSecond().dup();
            return new Pair<>(y, dx);
        });
    }
}
