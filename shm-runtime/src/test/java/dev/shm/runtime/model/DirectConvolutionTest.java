package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DirectConvolutionTest {
    static {
        Backend.init();
    }

    @Test
    void takesConvolutionsWithAnImagesTrimapsOrMattesChannelsOnOneSide() {
        INDArray input = Nd4j.create(DataType.FLOAT, 1, 3, 8, 8);
        assertTrue(DirectConvolution.applies(conv(3, 3, 32, 1), input), "T-Net's first");
        assertTrue(DirectConvolution.applies(conv(3, 16, 3, 1), input), "T-Net's last");
        assertTrue(DirectConvolution.applies(conv(5, 16, 1, 1), input), "M-Net's last");
        assertFalse(DirectConvolution.applies(conv(3, 6, 16, 1), input), "M-Net's first: oneDNN is as fast");
        assertFalse(DirectConvolution.applies(conv(3, 3, 32, 2), input), "stride 2");
        assertFalse(DirectConvolution.applies(new ConvolutionLayer.Builder(3, 3).nIn(3).nOut(32).padding(0, 0)
                .activation(Activation.IDENTITY).build(), input), "a smaller output");
        assertFalse(DirectConvolution.applies(new ConvolutionLayer.Builder(3, 3).nIn(3).nOut(32).padding(1, 1)
                .activation(Activation.RELU).build(), input), "an activation of its own");
        assertFalse(DirectConvolution.applies(conv(3, 3, 32, 1), input.castTo(DataType.DOUBLE)), "doubles");
    }

    @Test
    void passesAsDl4jsConvolutionLayerToFloatRounding() {
        Dl4jLayers.withHelpers(true, () -> {
            ComputationGraph direct = oneLayer(conv(5, 4, 2, 1));
            ComputationGraph plain = Dl4jLayers.copy(direct);
            plain.initGradientsView();
            Nd4j.getRandom().setSeed(9);
            // a cropped view, as M-Net's last convolution reads
            INDArray x = Nd4j.randn(DataType.FLOAT, 2, 4, 12, 14).get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(1, 12), NDArrayIndex.interval(1, 14));
            assertFalse(Floats.fits(x));
            INDArray dy = Nd4j.randn(DataType.FLOAT, 2, 2, 11, 13);
            Layer ours = direct.getLayer("conv");
            Layer dl4j = plain.getLayer("conv");
            assertTrue(ours instanceof DirectConvolution.Implementation);
            assertFalse(dl4j instanceof DirectConvolution.Implementation);
            LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
            for (Layer layer : new Layer[] {ours, dl4j}) {
                layer.setInput(x, none);
            }
            assertClose(dl4j.activate(true, none), ours.activate(true, none));
            assertClose(dl4j.activate(false, none), ours.activate(false, none));
            var expected = dl4j.backpropGradient(dy.dup(), none);
            var actual = ours.backpropGradient(dy.dup(), none);
            assertClose(expected.getSecond(), actual.getSecond());
            assertClose(expected.getFirst().getGradientFor("W"), actual.getFirst().getGradientFor("W"));
            assertClose(expected.getFirst().getGradientFor("b"), actual.getFirst().getGradientFor("b"));
        });
    }

    private static ConvolutionLayer conv(int kernel, int in, int out, int stride) {
        return new ConvolutionLayer.Builder(kernel, kernel).nIn(in).nOut(out).stride(stride, stride)
                .padding(kernel / 2, kernel / 2).hasBias(true).activation(Activation.IDENTITY).build();
    }

    private static ComputationGraph oneLayer(ConvolutionLayer conf) {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).graphBuilder()
                .addInputs("in").addLayer("conv", DirectConvolution.of(conf), "in").setOutputs("conv")
                .setInputTypes(InputType.convolutional(11, 13, conf.getNIn())).build());
        graph.init();
        graph.initGradientsView();
        return graph;
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 0);
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5 * scale);
    }
}
