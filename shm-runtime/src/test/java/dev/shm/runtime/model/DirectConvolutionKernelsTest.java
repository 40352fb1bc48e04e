package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

class DirectConvolutionKernelsTest {
    static {
        Backend.init();
    }

    /**
     * Two input channels, one output, a 3x3 kernel, a 2x3 image: each output is the sum over both channels of the
     * kernel times the 3x3 neighbourhood around it, zero outside the image.
     */
    @Test
    void computesHandCheckedValues() {
        // channel 0: 1 2 3 / 4 5 6; channel 1: all 1
        INDArray x = Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 6, 1, 1, 1, 1, 1, 1}).reshape(1, 2, 2, 3);
        // channel 0's kernel has 1 at the centre only; channel 1's has 10 right of the centre, 100 below it
        float[] weights = new float[18];
        weights[4] = 1;
        weights[9 + 5] = 10;
        weights[9 + 7] = 100;
        var g = new DirectConvolutionKernels.Geometry(1, 2, 1, 2, 3, 3);
        INDArray y = Nd4j.create(DataType.FLOAT, 1, 1, 2, 3);
        DirectConvolutionKernels.forward(g, x, weights, new float[] {0.5f}, y);
        // row 0 has a row below it (100) and, but for the last column, a column right of it (10)
        assertArrayEquals(new float[] {1 + 110.5f, 2 + 110.5f, 3 + 100.5f, 4 + 10.5f, 5 + 10.5f, 6 + 0.5f},
                y.data().asFloat());

        INDArray dy = Nd4j.createFromArray(new float[] {1, 0, 0, 0, 0, 2}).reshape(1, 1, 2, 3);
        INDArray dx = Nd4j.create(DataType.FLOAT, 1, 2, 2, 3);
        float[] dWeights = new float[18];
        float[] dBias = new float[1];
        DirectConvolutionKernels.backward(g, x, weights, dy, dx, dWeights, dBias);
        // channel 0: dx = dy (centre tap); channel 1: x(0,1) feeds y(0,0) by 10, x(1,0) feeds y(0,0) by 100
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 2, 0, 10, 0, 100, 0, 0}, dx.data().asFloat());
        // dw(c, ky, kx) = dy(0,0) x(c, ky - 1, kx - 1) + dy(1,2) x(c, ky, kx + 1), zero outside the image
        float[] expected = {
            2 * 2, 2 * 3, 0, 2 * 5, 1 + 2 * 6, 2, 0, 4, 5,
            2, 2, 0, 2, 1 + 2, 1, 0, 1, 1};
        assertArrayEquals(expected, dWeights);
        assertArrayEquals(new float[] {3}, dBias);
    }

    @ParameterizedTest
    @CsvSource({"3, 3, 32, 20, 20", "3, 16, 3, 17, 23", "5, 16, 1, 21, 18", "3, 6, 16, 9, 40", "1, 4, 5, 7, 7"})
    void agreesWithLibnd4jsConvolutionToFloatRounding(int kernel, int in, int out, int height, int width) {
        Nd4j.getRandom().setSeed(kernel * 1000 + in * 10 + out);
        int images = 3;
        ConvolutionLayer conf = new ConvolutionLayer.Builder(kernel, kernel).nIn(in).nOut(out)
                .padding(kernel / 2, kernel / 2).hasBias(true).build();
        INDArray x = Nd4j.randn(DataType.FLOAT, images, in, height, width);
        INDArray weights = Nd4j.randn(DataType.FLOAT, out, in, kernel, kernel);
        INDArray bias = Nd4j.randn(DataType.FLOAT, out);
        INDArray expected = Nd4j.create(DataType.FLOAT, images, out, height, width);
        TransientConvolution.convolve("conv2d", x, weights, bias, conf, expected, 1);
        var g = new DirectConvolutionKernels.Geometry(images, in, out, height, width, kernel);
        INDArray y = Nd4j.create(DataType.FLOAT, images, out, height, width);
        DirectConvolutionKernels.forward(g, x, weights.dup().data().asFloat(), bias.data().asFloat(), y);
        assertClose(expected, y);

        INDArray dy = Nd4j.randn(DataType.FLOAT, images, out, height, width);
        INDArray expectedDx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray expectedDw = Nd4j.create(DataType.FLOAT, weights.shape());
        INDArray expectedDb = Nd4j.create(DataType.FLOAT, out);
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, weights, bias, dy)
                .addIntegerArguments(kernel, kernel, 1, 1, kernel / 2, kernel / 2, 1, 1, 0, 0, 1)
                .addOutputs(expectedDx, expectedDw, expectedDb).build());
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        float[] dWeights = new float[(int) weights.length()];
        float[] dBias = new float[out];
        DirectConvolutionKernels.backward(g, x, weights.dup().data().asFloat(), dy, dx, dWeights, dBias);
        assertClose(expectedDx, dx);
        assertClose(expectedDw, Nd4j.createFromArray(dWeights).reshape(weights.shape()));
        assertClose(expectedDb, Nd4j.createFromArray(dBias));
    }

    @Test
    void refusesAnEvenKernel() {
        var refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DirectConvolutionKernels.Geometry(1, 1, 1, 4, 4, 2));
        assertEquals("an odd kernel size keeps the image's size, got 2", refused.getMessage());
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5 * scale);
    }
}
