package dev.shm.runtime.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution whose output only its batch norm reads ({@link RecomputingBatchNorm}): while training it writes
 * that output to {@link ConvolutionScratch} instead of DL4J's stored activations, which saves one stored tensor per
 * convolution block (265 of the 623 MB that T-Net + M-Net store per 320x320 image while training). Its backward pass
 * skips DL4J's second forward convolution, which DL4J runs only to take the identity's derivative. With DL4J's
 * helpers off, and at inference, it is DL4J's layer.
 */
public class TransientConvolution extends ConvolutionLayer {
    public TransientConvolution() {
    }

    /** The same convolution as {@code source}, with a transient training output. */
    public static TransientConvolution of(ConvolutionLayer source) {
        return CustomLayers.copyInto(source, new TransientConvolution());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType dataType) {
        return CustomLayers.wire(new Implementation(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /** Whether a layer of this configuration can hand its output over: NCHW and no activation of its own. */
    static boolean isTransient(ConvolutionLayer conf) {
        return conf.getCnn2dDataFormat() == CNN2DFormat.NCHW && conf.getActivationFn() instanceof ActivationIdentity;
    }

    /** [batch, channels, height, width] of the convolution of {@code input}. */
    static long[] outputShape(INDArray input, ConvolutionLayer conf) {
        int[] size = ConvolutionUtils.getOutputSize(input, conf.getKernelSize(), conf.getStride(), conf.getPadding(),
                conf.getConvolutionMode(), conf.getDilation(), CNN2DFormat.NCHW);
        return new long[] {input.size(0), conf.getNOut(), size[0], size[1]};
    }

    /**
     * Runs libnd4j's {@code op} ({@code conv2d} or {@code depthwise_conv2d}, as DL4J's layers do) into
     * {@code output}, with the layer's kernel, stride, padding and dilation; {@code extra} follows the common ones.
     */
    static void convolve(String op, INDArray input, INDArray weights, INDArray bias, ConvolutionLayer conf,
            INDArray output, int... extra) {
        int[] kernel = conf.getKernelSize();
        int[] stride = conf.getStride();
        int[] dilation = conf.getDilation();
        boolean same = conf.getConvolutionMode() == ConvolutionMode.Same;
        int[] pad = topLeftPadding(input, output, conf);
        int[] common = {kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1],
            same ? 1 : 0, 0};
        int[] args = new int[common.length + extra.length];
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(extra, 0, args, common.length, extra.length);
        INDArray[] inputs = bias == null ? new INDArray[] {input, weights} : new INDArray[] {input, weights, bias};
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addIntegerArguments(args).addOutputs(output).build());
    }

    /** The padding above and left of {@code input} [n, c, h, w] that gives {@code output} under {@code conf}. */
    static int[] topLeftPadding(INDArray input, INDArray output, ConvolutionLayer conf) {
        return conf.getConvolutionMode() == ConvolutionMode.Same
                ? ConvolutionUtils.getSameModeTopLeftPadding(new int[] {(int) output.size(2), (int) output.size(3)},
                        new int[] {(int) input.size(2), (int) input.size(3)}, conf.getKernelSize(), conf.getStride(),
                        conf.getDilation())
                : conf.getPadding();
    }

    /** Whether the layer is its convolution alone: no dropout on its input, no noise on its weights. */
    static boolean plain(ConvolutionLayer conf) {
        return conf.getIDropout() == null && conf.getWeightNoise() == null;
    }

    /**
     * A convolution's backward result as DL4J's layers return it: the weights' (and bias's, where not null)
     * gradient views, written by the caller, and the gradient at the input.
     */
    static Pair<Gradient, INDArray> backwardResult(INDArray weightGradient, INDArray biasGradient,
            INDArray inputGradient) {
        Gradient gradient = new DefaultGradient();
        if (biasGradient != null) {
            gradient.setGradientFor(DefaultParamInitializer.BIAS_KEY, biasGradient);
        }
        gradient.setGradientFor(DefaultParamInitializer.WEIGHT_KEY, weightGradient, 'c');
        return new Pair<>(gradient, inputGradient);
    }

    static final class Implementation extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer
            implements ConvolutionScratch.Producer {
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
            INDArray bias = hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY) : null;
            INDArray weights = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
            if (PointwiseConvolution.applies(layerConf())) {
                PointwiseConvolution.forward(input, weights, bias, output);
            } else if (DirectConvolution.applies(layerConf(), input)) {
                DirectConvolution.forward(layerConf(), input, weights, bias, output);
            } else {
                // weights format 1: DL4J's [out, in, kH, kW]
                convolve("conv2d", input, weights, bias, layerConf(), output, 1);
            }
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (handOver.on(layerConf()) && PointwiseConvolution.applies(layerConf()) && plain(layerConf())
                    && input.dataType() == DataType.FLOAT) {
                return pointwiseBackward(epsilon, workspaceMgr);
            }
            if (handOver.on(layerConf()) && DirectConvolution.applies(layerConf(), input)) {
                assertInputSet(true);
                return DirectConvolution.backward(layerConf(), input, getParam(ConvolutionParamInitializer.WEIGHT_KEY),
                        epsilon, gradientViews, hasBias(), workspaceMgr);
            }
            return handOver.backward(epsilon, layerConf(), () -> super.backpropGradient(epsilon, workspaceMgr));
        }

        /** DL4J's backward pass for a transient 1x1 convolution, as matrix products ({@link PointwiseConvolution}). */
        private Pair<Gradient, INDArray> pointwiseBackward(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
            INDArray biasGradient = hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
            INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                    input.shape(), 'c');
            PointwiseConvolution.backward(input, getParam(ConvolutionParamInitializer.WEIGHT_KEY),
                    epsilon.castTo(DataType.FLOAT), inputGradient, weightGradient, biasGradient);
            return backwardResult(weightGradient, biasGradient, inputGradient);
        }

        @Override
        protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
            return handOver.preOutput(forBackprop, () -> super.preOutput(training, forBackprop, workspaceMgr));
        }
    }
}
