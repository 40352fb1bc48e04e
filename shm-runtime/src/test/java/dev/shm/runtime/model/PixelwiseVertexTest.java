package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PixelwiseVertexTest {
    static {
        Backend.init();
    }

    /** Probabilities (0.2, 0.5, 0.3) and raw matte 0.4: alpha = 0.3 + 0.5 x 0.4; its gradients by hand. */
    @Test
    void fusesHandCheckedValues() {
        float[][] inputs = {{0.2f, 0.5f, 0.3f}, {0.4f}};
        float[] alpha = new float[1];
        new FusionVertex().forward(inputs, alpha, 1);
        assertArrayEquals(new float[] {0.3f + 0.5f * 0.4f}, alpha);
        float[][] gradients = {new float[3], new float[1]};
        new FusionVertex().backward(inputs, new float[] {2}, gradients, 1);
        assertArrayEquals(new float[] {0, 2 * 0.4f, 2}, gradients[0]);
        assertArrayEquals(new float[] {2 * 0.5f}, gradients[1]);
    }

    /** Alpha 0.5 and a pixel (1, 2, 4): the head [0.5, 0.5, 1, 2]; its gradients by hand. */
    @Test
    void composesHandCheckedValues() {
        float[][] inputs = {{0.5f}, {1, 2, 4}};
        float[] out = new float[4];
        new CompositionVertex().forward(inputs, out, 1);
        assertArrayEquals(new float[] {0.5f, 0.5f, 1, 2}, out);
        float[][] gradients = {new float[1], new float[3]};
        new CompositionVertex().backward(inputs, new float[] {1, 10, 100, 1000}, gradients, 1);
        assertArrayEquals(new float[] {1 + 10 + 200 + 4000}, gradients[0]);
        assertArrayEquals(new float[] {5, 50, 500}, gradients[1]);
    }

    /**
     * Java gives SameDiff's output and gradients, which are twice the analytic ones in this DL4J version, as for
     * {@link ChannelSoftmax}: the vertices keep DL4J's numbers.
     */
    @Test
    void runsAsSameDiffWhoseGradientsAreTwiceTheAnalyticOnes() {
        for (PixelwiseVertex vertex : new PixelwiseVertex[] {new FusionVertex(), new CompositionVertex()}) {
            String name = vertex.getClass().getSimpleName();
            int first = vertex instanceof FusionVertex ? 3 : 1;
            int second = vertex instanceof FusionVertex ? 1 : 3;
            Nd4j.getRandom().setSeed(11);
            INDArray[] inputs = {Nd4j.rand(DataType.FLOAT, 2, first, 5, 7), Nd4j.rand(DataType.FLOAT, 2, second, 5, 7)};
            INDArray dOut = Nd4j.randn(DataType.FLOAT, 2, vertex.outputChannels(), 5, 7);
            INDArray[] java = run(vertex, true, inputs, dOut);
            INDArray[] sameDiff = run(vertex, false, inputs, dOut);
            assertEquals(0, sameDiff[0].sub(java[0]).amaxNumber().doubleValue(), 1e-6, name + " output");
            INDArray[] analytic = analyticGradients(vertex, inputs, dOut);
            for (int i = 1; i < java.length; i++) {
                assertArrayEquals(analytic[i - 1].shape(), java[i].shape());
                assertEquals(0, analytic[i - 1].mul(2).sub(sameDiff[i]).amaxNumber().doubleValue(), 1e-5,
                        name + " SameDiff's gradient " + i);
                assertEquals(0, sameDiff[i].sub(java[i]).amaxNumber().doubleValue(), 1e-6, name + " gradient " + i);
            }
        }
    }

    /** The gradients at the vertex's inputs, from ND4J's element-wise ops. */
    private static INDArray[] analyticGradients(PixelwiseVertex vertex, INDArray[] inputs, INDArray dOut) {
        if (vertex instanceof FusionVertex) {
            INDArray probabilities = inputs[0];
            INDArray rawAlpha = inputs[1];
            INDArray dProbabilities = Nd4j.concat(1, Nd4j.zerosLike(rawAlpha), dOut.mul(rawAlpha), dOut);
            return new INDArray[] {dProbabilities, dOut.mul(channel(probabilities, 1))};
        }
        INDArray alpha = inputs[0];
        INDArray image = inputs[1];
        INDArray dAlpha = channel(dOut, 0).dup();
        INDArray dImage = Nd4j.create(DataType.FLOAT, image.shape());
        for (int c = 0; c < 3; c++) {
            dAlpha.addi(channel(dOut, c + 1).mul(channel(image, c)));
            dImage.get(NDArrayIndex.all(), NDArrayIndex.interval(c, c + 1)).assign(channel(dOut, c + 1).mul(alpha));
        }
        return new INDArray[] {dAlpha, dImage};
    }

    private static INDArray channel(INDArray array, int c) {
        return array.get(NDArrayIndex.all(), NDArrayIndex.interval(c, c + 1));
    }

    /** The vertex's output and its inputs' gradients, in a graph made with DL4J's helpers on or off. */
    private static INDArray[] run(PixelwiseVertex vertex, boolean helpers, INDArray[] inputs, INDArray dOut) {
        return Dl4jLayers.computeWithHelpers(helpers, () -> {
            ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                    .addInputs("a", "b").addVertex("v", vertex, "a", "b").setOutputs("v")
                    .setInputTypes(InputType.convolutional(5, 7, inputs[0].size(1)),
                            InputType.convolutional(5, 7, inputs[1].size(1)))
                    .build());
            graph.init();
            GraphVertex v = graph.getVertex("v");
            LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
            // the second input and the output gradient in Fortran order, as views a real step may hand over
            v.setInput(0, inputs[0].dup(), none);
            v.setInput(1, inputs[1].dup('f'), none);
            INDArray out = v.doForward(true, none).dup();
            v.setEpsilon(dOut.dup('f'));
            INDArray[] gradients = v.doBackward(false, none).getSecond();
            assertEquals(!helpers, ((PixelwiseVertex.Implementation) v).ranSameDiff(), "SameDiff ran");
            return new INDArray[] {out, gradients[0].dup(), gradients[1].dup()};
        });
    }
}
