package dev.shm.runtime.model;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.common.primitives.Pair;

/**
 * ReLU or ReLU6 after a batch norm, applied in place while training: DL4J keeps every vertex's output for the
 * backward pass, and the batch norm's own output is needed by nothing but this layer, so overwriting it saves one
 * stored activation per convolution block (27% of T-Net + M-Net's training activations). The backward pass reads
 * the activation's output where DL4J reads its input, which gives the same mask for both functions (0 < y < 6 exactly
 * where 0 < x < 6; y > 0 exactly where x > 0); it passes the gradient where that mask is set, in one pass of Java
 * code over the arrays instead of DL4J's copy of the input and ND4J's per-element derivative. After a
 * {@link RecomputingBatchNorm} that ran its kernels, that batch norm's backward pass applies the mask instead
 * ({@link RecomputingBatchNorm#takeMaskOver}) and this layer hands the gradient on; from the next training pass on,
 * that batch norm also applies the activation as it writes its output, and this layer has nothing left to do
 * ({@link RecomputingBatchNorm#activatedAlready}). At inference it is DL4J's activation layer.
 */
public class InPlaceActivation extends ActivationLayer {
    public InPlaceActivation() {
    }

    public InPlaceActivation(Activation activation) {
        super(activation);
        IActivation function = getActivationFn();
        if (!(function instanceof ActivationReLU) && !(function instanceof ActivationReLU6)) {
            throw new IllegalArgumentException("in-place activation supports ReLU and ReLU6, not " + activation);
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType dataType) {
        return CustomLayers.wire(new Implementation(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /**
     * The raw bits of the activation's upper bound for {@link #passWhereActive}: 6 for ReLU6; for ReLU, one past
     * +infinity's bits, so that +infinity passes and NaN does not, as in DL4J's derivative.
     */
    static int upperBits(IActivation function) {
        return function instanceof ActivationReLU6 ? Float.floatToRawIntBits(6f)
                : Float.floatToRawIntBits(Float.POSITIVE_INFINITY) + 1;
    }

    static final class Implementation extends org.deeplearning4j.nn.layers.ActivationLayer {
        /** Whether the batch norm before this layer took this training pass's gradient mask over. */
        private boolean maskTakenOver;
        /** Whether the batch norm before this layer applied the activation in this training pass's forward pass. */
        private boolean appliedBefore;

        Implementation(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            maskTakenOver = false;
            appliedBefore = false;
            if (!training) {
                return super.activate(false, workspaceMgr);
            }
            assertInputSet(false);
            int upper = upperBits(layerConf().getActivationFn());
            INDArray leveraged = workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input);
            appliedBefore = leveraged == input && RecomputingBatchNorm.activatedAlready(input, upper);
            INDArray output = appliedBefore ? input : layerConf().getActivationFn().getActivation(leveraged, true);
            maskTakenOver = output == input && RecomputingBatchNorm.takeMaskOver(input, upper);
            return output;
        }

        boolean maskTakenOver() {
            return maskTakenOver;
        }

        boolean appliedBefore() {
            return appliedBefore;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            if (maskTakenOver) {
                maskTakenOver = false;
                return new Pair<>(new DefaultGradient(), workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon));
            }
            if (!Floats.fits(input) || !Floats.fits(epsilon) || !Arrays.equals(input.shape(), epsilon.shape())) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            INDArray delta = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
            int upper = upperBits(layerConf().getActivationFn());
            if (Backend.vectorKernels()) {
                VectorKernels.passWhereActive(input, epsilon, upper, delta, (int) input.length());
            } else {
                passWhereActive(Floats.of(input), Floats.of(epsilon), upper, Floats.of(delta), (int) input.length());
            }
            return new Pair<>(new DefaultGradient(), delta);
        }
    }

    private static final int BLOCK = 1 << 14;

    /**
     * {@code gradient} where 0 < activation < upper, else 0, with {@code upperBits} the raw bits of upper. A float's
     * bits order like its value when it is not negative, and negative floats have negative bits, so
     * {@code 0 < bits < upperBits} is the same test; written as the sign of {@code -bits & (bits - upperBits)}, a
     * loop over it has no branch and runs about 2.5 times as fast.
     */
    static float pass(float activation, float gradient, int upperBits) {
        int bits = Float.floatToRawIntBits(activation);
        int active = (-bits & (bits - upperBits)) >> 31;
        return Float.intBitsToFloat(Float.floatToRawIntBits(gradient) & active);
    }

    /** out = {@link #pass}(activation, gradient) over {@code length} values. */
    static void passWhereActive(FloatBuffer activation, FloatBuffer gradient, int upperBits, FloatBuffer out,
            int length) {
        IntStream.range(0, (length + BLOCK - 1) / BLOCK).parallel().forEach(block -> {
            int at = block * BLOCK;
            int n = Math.min(BLOCK, length - at);
            float[] activations = Floats.scratch(0, n);
            float[] gradients = Floats.scratch(1, n);
            activation.get(at, activations, 0, n);
            gradient.get(at, gradients, 0, n);
            for (int i = 0; i < n; i++) {
                gradients[i] = pass(activations[i], gradients[i], upperBits);
            }
            out.put(at, gradients, 0, n);
        });
    }
}
