package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

class PointwiseConvolutionTest {
    static {
        Backend.init();
    }

    @Test
    void takesOnlyUnpaddedOneByOneConvolutionsOfStrideOne() {
        assertTrue(PointwiseConvolution.applies(Blocks.conv(1, 4, 8, 1, false)));
        assertTrue(PointwiseConvolution.applies(new ConvolutionLayer.Builder(1, 1).nIn(4).nOut(8)
                .convolutionMode(ConvolutionMode.Same).build()));
        assertFalse(PointwiseConvolution.applies(Blocks.conv(3, 4, 8, 1, false)));
        assertFalse(PointwiseConvolution.applies(Blocks.conv(1, 4, 8, 2, false)));
        assertFalse(PointwiseConvolution.applies(new ConvolutionLayer.Builder(1, 1).nIn(4).nOut(8).padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate).build()));
    }

    /** Two channels into one, two pixels, one image: y = 2 x0 - x1 + 0.5. */
    @Test
    void computesHandCheckedValues() {
        INDArray x = Nd4j.createFromArray(new float[] {1, 3, 4, -2}).reshape(1, 2, 1, 2);
        INDArray weights = Nd4j.createFromArray(new float[] {2, -1}).reshape(1, 2, 1, 1);
        INDArray bias = Nd4j.createFromArray(new float[] {0.5f});
        INDArray y = Nd4j.create(DataType.FLOAT, 1, 1, 1, 2);
        PointwiseConvolution.forward(x, weights, bias, y);
        assertArrayEquals(new float[] {2 - 4 + 0.5f, 6 + 2 + 0.5f}, y.data().asFloat());

        INDArray dy = Nd4j.createFromArray(new float[] {1, -3}).reshape(1, 1, 1, 2);
        INDArray dx = Nd4j.create(DataType.FLOAT, 1, 2, 1, 2);
        INDArray dWeights = Nd4j.create(DataType.FLOAT, 1, 2, 1, 1);
        INDArray dBias = Nd4j.create(DataType.FLOAT, 1);
        PointwiseConvolution.backward(x, weights, dy, dx, dWeights, dBias);
        assertArrayEquals(new float[] {2, -6, -1, 3}, dx.data().asFloat());
        assertArrayEquals(new float[] {1 * 1 + 3 * -3, 4 * 1 + -2 * -3}, dWeights.data().asFloat());
        assertArrayEquals(new float[] {-2}, dBias.data().asFloat());
    }

    @Test
    void agreesWithLibnd4jsConvolutionOpsToFloatRounding() {
        Nd4j.getRandom().setSeed(5);
        int images = 3;
        int in = 24;
        int out = 40;
        INDArray x = Nd4j.randn(DataType.FLOAT, images, in, 9, 11);
        INDArray weights = Nd4j.randn(DataType.FLOAT, out, in, 1, 1);
        INDArray bias = Nd4j.randn(DataType.FLOAT, out);
        INDArray dy = Nd4j.randn(DataType.FLOAT, images, out, 9, 11);
        int[] args = {1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1};

        INDArray expectedY = Nd4j.create(DataType.FLOAT, images, out, 9, 11);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, weights, bias).addIntegerArguments(args)
                .addOutputs(expectedY).build());
        INDArray y = Nd4j.create(DataType.FLOAT, images, out, 9, 11);
        PointwiseConvolution.forward(x, weights, bias, y);
        assertClose(expectedY, y);

        INDArray expectedDx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray expectedDw = Nd4j.create(DataType.FLOAT, weights.shape());
        INDArray expectedDb = Nd4j.create(DataType.FLOAT, out);
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, weights, bias, dy).addIntegerArguments(args)
                .addOutputs(expectedDx, expectedDw, expectedDb).build());
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dWeights = Nd4j.create(DataType.FLOAT, weights.shape());
        INDArray dBias = Nd4j.create(DataType.FLOAT, out);
        PointwiseConvolution.backward(x, weights, dy, dx, dWeights, dBias);
        assertClose(expectedDx, dx);
        assertClose(expectedDw, dWeights);
        assertClose(expectedDb, dBias);
    }

    @Test
    void readsAStridedInputAsItsValues() {
        Nd4j.getRandom().setSeed(9);
        INDArray wide = Nd4j.randn(DataType.FLOAT, 2, 6, 5, 5);
        INDArray x = wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4));
        INDArray weights = Nd4j.randn(DataType.FLOAT, 4, 3, 1, 1);
        INDArray fromView = Nd4j.create(DataType.FLOAT, 2, 4, 5, 5);
        INDArray fromCopy = Nd4j.create(DataType.FLOAT, 2, 4, 5, 5);
        PointwiseConvolution.forward(x, weights, null, fromView);
        PointwiseConvolution.forward(x.dup('c'), weights, null, fromCopy);
        assertEquals(fromCopy, fromView);
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-5 * scale);
    }
}
