package dev.shm.runtime.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A depthwise convolution whose weights training leaves as they are (T-Net's bilinear kernels): with DL4J's helpers
 * on, in a JVM that has shm's SIMD kernels ({@link Backend#vectorKernels()}), both passes run in
 * {@link DepthwiseKernels}, and the backward pass computes the gradient at the input only; the weights' gradient is
 * zero. Elsewhere it is DL4J's layer, whose weight gradient the trainer undoes by writing the kernels again after
 * every step.
 */
public class FixedDepthwiseConvolution extends DepthwiseConvolution2D {
    public FixedDepthwiseConvolution() {
    }

    /** The same convolution as {@code source}, with fixed weights. */
    public static FixedDepthwiseConvolution of(DepthwiseConvolution2D source) {
        return CustomLayers.copyInto(source, new FixedDepthwiseConvolution());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType dataType) {
        return CustomLayers.wire(new Implementation(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    static final class Implementation extends DepthwiseConvolution2DLayer {
        /** Read when the layer is made, as DL4J reads the switch for its helpers. */
        private final boolean helpers = Backend.helpersOn();

        Implementation(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(false);
            if (!javaKernels()) {
                return super.activate(training, workspaceMgr);
            }
            INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                    TransientConvolution.outputShape(input, layerConf()), 'c');
            INDArray bias = hasBias() ? getParam(DepthwiseConvolutionParamInitializer.BIAS_KEY) : null;
            DepthwiseKernels.forward(DepthwiseKernels.Geometry.of(depthwise(), input, output), input,
                    weights(), bias == null ? null : Floats.values(bias), output);
            return output;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (!javaKernels()) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            INDArray outputGradient = Floats.fitting(epsilon);
            INDArray weightGradient = gradientViews.get(DepthwiseConvolutionParamInitializer.WEIGHT_KEY);
            INDArray biasGradient = hasBias() ? gradientViews.get(DepthwiseConvolutionParamInitializer.BIAS_KEY) : null;
            INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                    input.shape(), 'c');
            DepthwiseKernels.backward(DepthwiseKernels.Geometry.of(depthwise(), input, outputGradient), input, weights(),
                    outputGradient, inputGradient, null, null);
            weightGradient.assign(0);
            if (biasGradient != null) {
                biasGradient.assign(0);
            }
            return TransientConvolution.backwardResult(weightGradient, biasGradient, inputGradient);
        }

        /**
         * Whether {@link DepthwiseKernels} run this layer: with DL4J's helpers on, as for the transient convolutions,
         * where the kernels take its geometry and input, and it is the convolution alone (no activation, dropout
         * or weight noise).
         */
        private boolean javaKernels() {
            DepthwiseConvolution2D conf = depthwise();
            return helpers && TransientDepthwiseConvolution.javaKernelsTake(conf, input)
                    && conf.getActivationFn() instanceof ActivationIdentity && TransientConvolution.plain(conf);
        }

        private float[] weights() {
            return Floats.values(getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY));
        }

        private DepthwiseConvolution2D depthwise() {
            return (DepthwiseConvolution2D) layerConf();
        }
    }
}
