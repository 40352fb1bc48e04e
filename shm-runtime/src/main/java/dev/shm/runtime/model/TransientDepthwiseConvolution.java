package dev.shm.runtime.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link TransientConvolution} for a depthwise convolution. While training, in a JVM that has shm's SIMD kernels
 * ({@link Backend#vectorKernels()}), its passes run in {@link DepthwiseKernels} instead of libnd4j's ops.
 */
public class TransientDepthwiseConvolution extends DepthwiseConvolution2D {
    public TransientDepthwiseConvolution() {
    }

    /** The same convolution as {@code source}, with a transient training output. */
    public static TransientDepthwiseConvolution of(DepthwiseConvolution2D source) {
        return CustomLayers.copyInto(source, new TransientDepthwiseConvolution());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType dataType) {
        return CustomLayers.wire(new Implementation(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /**
     * Whether {@link DepthwiseKernels} run {@code conf} on {@code input}: the JVM has them, they take its geometry
     * (NCHW, depth multiplier 1, undilated, one stride for both axes), and {@code input} is a float run.
     */
    static boolean javaKernelsTake(DepthwiseConvolution2D conf, INDArray input) {
        return Backend.vectorKernels() && conf.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && conf.getDepthMultiplier() == 1 && conf.getDilation()[0] == 1 && conf.getDilation()[1] == 1
                && conf.getStride()[0] == conf.getStride()[1] && Floats.fits(input);
    }

    static final class Implementation extends DepthwiseConvolution2DLayer implements ConvolutionScratch.Producer {
        private final OutputHandOver handOver = new OutputHandOver();

        Implementation(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!training || !handOver.on(layerConf())) {
                return super.activate(training, workspaceMgr);
            }
            assertInputSet(false);
            applyDropOutIfNecessary(true, workspaceMgr);
            return ConvolutionScratch.hold(this, dataType);
        }

        @Override
        public long[] outputShape() {
            return TransientConvolution.outputShape(input, layerConf());
        }

        @Override
        public void writeOutput(INDArray output) {
            INDArray bias = hasBias() ? getParam(DepthwiseConvolutionParamInitializer.BIAS_KEY) : null;
            INDArray weights = getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY);
            if (javaKernels()) {
                DepthwiseKernels.forward(DepthwiseKernels.Geometry.of(depthwise(), input, output), input,
                        Floats.values(weights), bias == null ? null : Floats.values(bias), output);
            } else {
                TransientConvolution.convolve("depthwise_conv2d", input, weights, bias, layerConf(), output);
            }
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (handOver.on(layerConf()) && javaKernels() && TransientConvolution.plain(layerConf())) {
                return javaBackward(epsilon, workspaceMgr);
            }
            return handOver.backward(epsilon, layerConf(), () -> super.backpropGradient(epsilon, workspaceMgr));
        }

        private boolean javaKernels() {
            return javaKernelsTake(depthwise(), input);
        }

        /** DL4J's backward pass for a transient depthwise convolution, in {@link DepthwiseKernels}. */
        private Pair<Gradient, INDArray> javaBackward(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            INDArray outputGradient = Floats.fitting(epsilon);
            INDArray weightGradient = gradientViews.get(DepthwiseConvolutionParamInitializer.WEIGHT_KEY);
            INDArray biasGradient = hasBias() ? gradientViews.get(DepthwiseConvolutionParamInitializer.BIAS_KEY) : null;
            INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                    input.shape(), 'c');
            float[] weightSums = new float[(int) weightGradient.length()];
            float[] biasSums = biasGradient == null ? null : new float[(int) biasGradient.length()];
            DepthwiseKernels.backward(DepthwiseKernels.Geometry.of(depthwise(), input, outputGradient), input,
                    Floats.values(getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY)), outputGradient,
                    inputGradient, weightSums, biasSums);
            Floats.assign(weightGradient, weightSums);
            if (biasGradient != null) {
                Floats.assign(biasGradient, biasSums);
            }
            return TransientConvolution.backwardResult(weightGradient, biasGradient, inputGradient);
        }

        private DepthwiseConvolution2D depthwise() {
            return (DepthwiseConvolution2D) layerConf();
        }


        @Override
        protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
            return handOver.preOutput(forBackprop, () -> super.preOutput(training, forBackprop, workspaceMgr));
        }
    }
}
