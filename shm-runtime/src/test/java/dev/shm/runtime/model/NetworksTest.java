package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NetworksTest {
    private static ComputationGraph endToEnd;

    @BeforeAll
    static void build() {
        endToEnd = Networks.build(Networks.Kind.END_TO_END, 32, 9527, 1e-4);
    }

    @Test
    void trainableParameterCountsMatchTheSpec() {
        assertEquals(1_812_800 + 415_587, Networks.trainableParameters(endToEnd, "t_"));
        assertEquals(887_216, Networks.trainableParameters(endToEnd, "m_"));
        assertEquals(3_115_603, Networks.trainableParameters(endToEnd, ""));
        ComputationGraph tNet = Networks.build(Networks.Kind.T_NET, 32, 1, 1e-3);
        assertEquals(2_228_387, Networks.trainableParameters(tNet, ""));
        ComputationGraph mNet = Networks.build(Networks.Kind.M_NET, 32, 1, 1e-4);
        assertEquals(887_216, Networks.trainableParameters(mNet, ""));
    }

    @Test
    void anyMultipleOf16GivesFullResolutionOutputs() {
        for (int[] size : new int[][] {{32, 48}, {64, 16}}) {
            INDArray image = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, size[0], size[1]);
            Map<String, INDArray> activations = endToEnd.feedForward(image, false);
            assertArrayEquals(new long[] {2, 3, size[0], size[1]}, activations.get(TNet.LOGITS).shape());
            assertArrayEquals(new long[] {2, 1, size[0], size[1]}, activations.get(Networks.ALPHA).shape());
            assertArrayEquals(new long[] {2, 1, size[0], size[1]}, activations.get(MNet.RAW_ALPHA).shape());
        }
    }

    @Test
    void fusionIsForegroundPlusUnknownTimesRawAlpha() {
        INDArray image = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 32, 32);
        Map<String, INDArray> a = endToEnd.feedForward(image, false);
        INDArray s = a.get(Networks.SOFTMAX);
        INDArray expected = s.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 3))
                .add(s.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2))
                        .mul(a.get(MNet.RAW_ALPHA)));
        assertTrue(expected.equalsWithEps(a.get(Networks.ALPHA), 1e-5));
        assertEquals(1.0, s.sum(1).meanNumber().doubleValue(), 1e-5, "softmax over channels");
    }

    @Test
    void bilinearUpsamplingMatchesHalfPixelInterpolationInside() {
        INDArray w = endToEnd.getLayer("t_d1_bilinear").getParam("W");
        assertEquals(0.25, w.getDouble(1, 1, 0, 0), 1e-7);
        assertEquals(0.0625, w.getDouble(0, 0, 5, 0), 1e-7);
        assertEquals(1.0, w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(3), org.nd4j.linalg.indexing.NDArrayIndex.point(0)).sumNumber().doubleValue(), 1e-6);
    }

    @Test
    void channelSoftmaxNormalisesEachPixelOverTheThreeClasses() {
        ComputationGraph tiny = new ComputationGraph(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .graphBuilder().addInputs("in").addLayer("softmax", new ChannelSoftmax(), "in").setOutputs("softmax")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(1, 2, 3)).build());
        tiny.init();
        INDArray logits = Nd4j.create(new float[] {0, 1, (float) Math.log(2), 1, (float) Math.log(5), 1},
                new long[] {1, 3, 1, 2}, 'c');
        INDArray p = tiny.outputSingle(logits);
        assertEquals(1.0 / 8, p.getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(2.0 / 8, p.getDouble(0, 1, 0, 0), 1e-6);
        assertEquals(5.0 / 8, p.getDouble(0, 2, 0, 0), 1e-6);
        assertEquals(1.0 / 3, p.getDouble(0, 1, 0, 1), 1e-6);
    }

    @Test
    void activationsAfterBatchNormAreApplied() {
        INDArray image = Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 32, 32);
        Map<String, INDArray> a = endToEnd.feedForward(image, false);
        assertTrue(a.get("t_head_conv").minNumber().doubleValue() < 0, "the convolution before BN has negatives");
        assertEquals(0, a.get("t_head_relu").minNumber().doubleValue(), 1e-9);
        assertTrue(a.get("t_b1_0_expand_relu6").maxNumber().doubleValue() <= 6);
        assertEquals(0, a.get("m_e1_relu").minNumber().doubleValue(), 1e-9);
    }

    /** ConvTranspose(k 5, s 2, pad 2, output_padding 1): out[o] = sum over o = 2i + k - 2 of x[i] w[k]. */
    @Test
    void transposedConvolutionPlacesTheKernelAsTheSpecsConvTranspose() {
        var builder = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().graphBuilder().addInputs("in");
        String out = MNet.transposedConv(builder, "m_dx", 1, "in");
        ComputationGraph graph = new ComputationGraph(builder.setOutputs(out)
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(3, 3, 1)).build());
        graph.init();
        INDArray w = graph.getLayer("m_dx_deconv").getParam("W");
        for (int k = 0; k < 25; k++) {
            w.putScalar(new long[] {0, 0, k / 5, k % 5}, k + 1);
        }
        INDArray x = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, 3, 3);
        x.putScalar(new long[] {0, 0, 0, 0}, 1);
        INDArray y = graph.outputSingle(x);
        assertArrayEquals(new long[] {1, 1, 6, 6}, y.shape());
        assertEquals(13, y.getDouble(0, 0, 0, 0), 0, "w[2][2] lands on output (0, 0)");
        assertEquals(14, y.getDouble(0, 0, 0, 1), 0);
        assertEquals(25, y.getDouble(0, 0, 2, 2), 0);
        assertEquals(0, y.getDouble(0, 0, 0, 3), 0);
        assertEquals(0, y.getDouble(0, 0, 3, 0), 0);
    }
}
