package dev.shm.runtime.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A 1x1 convolution's training passes over NCHW arrays as one matrix product per image: an image's
 * {@code [channels, height * width]} plane is already the matrix the product needs, so nothing is reordered into
 * oneDNN's blocked or channels-last layouts and back, which costs libnd4j's convolution ops three times the
 * arithmetic at 320x320. Forward {@code y = W x (+ b)}, backward {@code dx = W' dy}, {@code dW = sum dy x'},
 * {@code db = sum dy}; the products sum in another order than oneDNN's kernels, so results agree to float rounding.
 */
final class PointwiseConvolution {
    private PointwiseConvolution() {
    }

    /** Whether {@code conf} is a 1x1 convolution of stride 1 without padding or dilation, over NCHW. */
    static boolean applies(ConvolutionLayer conf) {
        boolean unpadded = conf.getConvolutionMode() == ConvolutionMode.Same
                || (conf.getPadding()[0] == 0 && conf.getPadding()[1] == 0);
        return conf.getCnn2dDataFormat() == CNN2DFormat.NCHW && unpadded && ones(conf.getKernelSize())
                && ones(conf.getStride()) && ones(conf.getDilation());
    }

    /** Writes the convolution of {@code x} [n, in, h, w] by {@code weights} [out, in, 1, 1] into {@code y}. */
    static void forward(INDArray x, INDArray weights, INDArray bias, INDArray y) {
        INDArray input = contiguous(x);
        INDArray kernel = matrix(weights);
        for (long n = 0; n < input.size(0); n++) {
            Nd4j.gemm(kernel, plane(input, n), plane(y, n), false, false, 1.0, 0.0);
        }
        if (bias != null) {
            Nd4j.getExecutioner().exec(new BroadcastAddOp(y, bias.reshape(-1), y, 1));
        }
    }

    /**
     * Writes the gradients at the input ({@code dx}, x's shape), the weights ({@code dWeights}, [out, in, 1, 1])
     * and the bias ({@code dBias}, null without one) of the convolution of {@code x}, given {@code dy} at its output.
     */
    static void backward(INDArray x, INDArray weights, INDArray dy, INDArray dx, INDArray dWeights, INDArray dBias) {
        INDArray input = contiguous(x);
        INDArray gradient = contiguous(dy);
        INDArray kernel = matrix(weights);
        INDArray kernelGradient = matrix(dWeights);
        for (long n = 0; n < input.size(0); n++) {
            INDArray dyPlane = plane(gradient, n);
            Nd4j.gemm(kernel, dyPlane, plane(dx, n), true, false, 1.0, 0.0);
            Nd4j.gemm(dyPlane, plane(input, n), kernelGradient, false, true, 1.0, n == 0 ? 0.0 : 1.0);
        }
        if (dBias != null) {
            gradient.sum(dBias.reshape(-1), 0, 2, 3);
        }
    }

    private static boolean ones(int[] pair) {
        return pair[0] == 1 && pair[1] == 1;
    }

    private static INDArray contiguous(INDArray array) {
        return Floats.fits(array) ? array : array.dup('c');
    }

    /** Image {@code n} of an NCHW array as a [channels, height * width] matrix over the same memory. */
    private static INDArray plane(INDArray array, long n) {
        return array.get(NDArrayIndex.point(n)).reshape('c', array.size(1), array.size(2) * array.size(3));
    }

    /** A [out, in, 1, 1] kernel as an [out, in] matrix over the same memory. */
    private static INDArray matrix(INDArray kernel) {
        INDArray matrix = Shape.newShapeNoCopy(kernel, new long[] {kernel.size(0), kernel.size(1)}, false);
        if (matrix == null) {
            throw new IllegalArgumentException("a 1x1 kernel that is not one run of floats: " + kernel.shapeInfoToString());
        }
        return matrix;
    }
}
