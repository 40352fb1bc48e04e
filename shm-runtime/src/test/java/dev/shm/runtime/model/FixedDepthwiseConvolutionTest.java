package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FixedDepthwiseConvolutionTest {
    static {
        Backend.init();
    }

    @Test
    void passesAsDl4jsDepthwiseLayerToFloatRoundingAndHasNoWeightGradient() {
        Dl4jLayers.withHelpers(true, () -> {
            ComputationGraph fixed = oneLayer();
            ComputationGraph plain = Dl4jLayers.copy(fixed);
            plain.initGradientsView();
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.randn(DataType.FLOAT, 2, 5, 12, 12);
            INDArray dy = Nd4j.randn(DataType.FLOAT, 2, 5, 12, 12);
            Layer ours = fixed.getLayer("dw");
            Layer dl4j = plain.getLayer("dw");
            assertTrue(ours instanceof FixedDepthwiseConvolution.Implementation);
            assertTrue(!(dl4j instanceof FixedDepthwiseConvolution.Implementation));
            LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
            for (Layer layer : new Layer[] {ours, dl4j}) {
                layer.setInput(x.dup(), none);
            }
            assertClose(dl4j.activate(true, none), ours.activate(true, none));
            ours.getGradientsViewArray().assign(1);
            var expected = dl4j.backpropGradient(dy.dup(), none);
            var actual = ours.backpropGradient(dy.dup(), none);
            assertClose(expected.getSecond(), actual.getSecond());
            assertTrue(expected.getFirst().getGradientFor("W").amaxNumber().doubleValue() > 0);
            assertEquals(0, actual.getFirst().getGradientFor("W").amaxNumber().doubleValue());
        });
    }

    private static ComputationGraph oneLayer() {
        DepthwiseConvolution2D conf = new DepthwiseConvolution2D.Builder(3, 3).nIn(5).depthMultiplier(1).padding(1, 1)
                .hasBias(false).activation(Activation.IDENTITY).build();
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).graphBuilder()
                .addInputs("in").addLayer("dw", FixedDepthwiseConvolution.of(conf), "in").setOutputs("dw")
                .setInputTypes(InputType.convolutional(12, 12, 5)).build());
        graph.init();
        graph.initGradientsView();
        return graph;
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5 * scale);
    }
}
