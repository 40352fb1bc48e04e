package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

class DepthwiseKernelsTest {
    static {
        Backend.init();
    }

    @Test
    void theTestsRunTheSimdKernels() {
        assertTrue(Backend.vectorKernels(), "the test JVM is started with " + Backend.VECTOR_OPTION);
    }

    /**
     * One channel, a 2x2 input, a 2x2 kernel, padding 1 above and left, stride 1, output 2x2: each output sees the
     * input's pixels up and left of it (zero outside).
     */
    @Test
    void computesHandCheckedValues() {
        INDArray x = Nd4j.createFromArray(new float[] {1, 2, 3, 4}).reshape(1, 1, 2, 2);
        float[] weights = {1, 10, 100, 1000}; // [kH, kW, 1, 1]: w00, w01, w10, w11
        var g = new DepthwiseKernels.Geometry(1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1);
        INDArray y = Nd4j.create(DataType.FLOAT, 1, 1, 2, 2);
        DepthwiseKernels.forward(g, x, weights, new float[] {0.5f}, y);
        // y[0][0] = w11 x00; y[0][1] = w10 x00 + w11 x01; y[1][0] = w01 x00 + w11 x10; y[1][1] = all four
        assertArrayEquals(new float[] {1000.5f, 100 + 2000 + 0.5f, 10 + 3000 + 0.5f, 1 + 20 + 300 + 4000 + 0.5f},
                y.data().asFloat());

        INDArray dy = Nd4j.createFromArray(new float[] {1, 0, 0, 2}).reshape(1, 1, 2, 2);
        INDArray dx = Nd4j.create(DataType.FLOAT, 1, 1, 2, 2);
        float[] dWeights = new float[4];
        float[] dBias = new float[1];
        DepthwiseKernels.backward(g, x, weights, dy, dx, dWeights, dBias);
        // x00 feeds y00 by w11 and y11 by w00; x01 feeds y11 by w01; x10 feeds y11 by w10; x11 feeds y11 by w11
        assertArrayEquals(new float[] {1000 + 2, 20, 200, 2000}, dx.data().asFloat());
        // dw00 = dy11 x00; dw01 = dy11 x01; dw10 = dy11 x10; dw11 = dy00 x00 + dy11 x11
        assertArrayEquals(new float[] {2, 4, 6, 1 + 8}, dWeights);
        assertArrayEquals(new float[] {3}, dBias);
    }

    @ParameterizedTest
    @CsvSource({"3, 1, 1, Truncate, 12", "3, 2, 1, Truncate, 12", "3, 2, 0, Same, 11", "3, 1, 0, Same, 9",
        "5, 2, 2, Truncate, 13", "3, 2, 1, Truncate, 72", "3, 2, 0, Same, 69"})
    void agreesWithLibnd4jsDepthwiseOpsToFloatRounding(int kernel, int stride, int pad, ConvolutionMode mode, int side) {
        Nd4j.getRandom().setSeed(kernel * 100 + stride * 10 + side);
        int images = 3;
        int channels = 5;
        DepthwiseConvolution2D conf = layer(kernel, stride, pad, mode);
        INDArray x = Nd4j.randn(DataType.FLOAT, images, channels, side, side);
        INDArray weights = Nd4j.randn(DataType.FLOAT, kernel, kernel, channels, 1);
        INDArray bias = Nd4j.randn(DataType.FLOAT, channels);
        long[] outShape = TransientConvolution.outputShape(x, conf);
        INDArray expected = Nd4j.create(DataType.FLOAT, outShape);
        TransientConvolution.convolve("depthwise_conv2d", x, weights, bias, conf, expected);
        INDArray y = Nd4j.create(DataType.FLOAT, outShape);
        var g = DepthwiseKernels.Geometry.of(conf, x, y);
        DepthwiseKernels.forward(g, x, weights.dup().data().asFloat(), bias.data().asFloat(), y);
        assertClose(expected, y);

        INDArray dy = Nd4j.randn(DataType.FLOAT, outShape);
        int[] pads = TransientConvolution.topLeftPadding(x, y, conf);
        INDArray expectedDx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray expectedDw = Nd4j.create(DataType.FLOAT, weights.shape());
        INDArray expectedDb = Nd4j.create(DataType.FLOAT, channels);
        Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d_bp").addInputs(x, weights, bias, dy)
                .addIntegerArguments(kernel, kernel, stride, stride, pads[0], pads[1], 1, 1,
                        mode == ConvolutionMode.Same ? 1 : 0, 0)
                .addOutputs(expectedDx, expectedDw, expectedDb).build());
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        float[] dWeights = new float[(int) weights.length()];
        float[] dBias = new float[channels];
        DepthwiseKernels.backward(g, x, weights.dup().data().asFloat(), dy, dx, dWeights, dBias);
        assertClose(expectedDx, dx);
        assertClose(expectedDw, Nd4j.createFromArray(dWeights).reshape(weights.shape()));
        assertClose(expectedDb, Nd4j.createFromArray(dBias));

        INDArray dxAlone = Nd4j.create(DataType.FLOAT, x.shape());
        DepthwiseKernels.backward(g, x, weights.dup().data().asFloat(), dy, dxAlone, null, null);
        assertEquals(dx, dxAlone, "the input's gradient, for fixed weights");
    }

    private static DepthwiseConvolution2D layer(int kernel, int stride, int pad, ConvolutionMode mode) {
        return new DepthwiseConvolution2D.Builder(kernel, kernel).nIn(5).depthMultiplier(1).stride(stride, stride)
                .padding(pad, pad).convolutionMode(mode).hasBias(true).build();
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5 * scale);
    }
}
