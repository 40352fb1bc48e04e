package dev.shm.runtime.model;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution with at most 4 channels on one side, an image's, a trimap's or a matte's (T-Net's last, M-Net's last):
 * with DL4J's helpers on, in a JVM that has shm's SIMD kernels, both passes run in {@link DirectConvolutionKernels},
 * at training and at inference. Elsewhere, and for geometries the kernels do not take, it is DL4J's layer.
 * {@link TransientConvolution} runs the same kernels for T-Net's first convolution, which feeds a batch norm.
 */
public class DirectConvolution extends ConvolutionLayer {
    /**
     * The most channels on one side at which the direct kernels outrun libnd4j's oneDNN passes, which pad the
     * channels to blocks of 16 and reorder every array into that layout and back: at 320x320 they take a third to a
     * fifth of the time for 3 -> 32, 16 -> 3 and 16 -> 1 channels, as long for 6 -> 16 and longer for 16 -> 15.
     */
    private static final int FEW_CHANNELS = 4;

    public DirectConvolution() {
    }

    /** The same convolution as {@code source}. */
    public static DirectConvolution of(ConvolutionLayer source) {
        return CustomLayers.copyInto(source, new DirectConvolution());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType dataType) {
        return CustomLayers.wire(new Implementation(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /**
     * Whether {@link DirectConvolutionKernels} take {@code conf} on {@code input}: the JVM has them; NCHW floats; a
     * square odd kernel at stride 1, undilated, padded to keep the size; no activation, dropout or weight noise; and
     * at most {@link #FEW_CHANNELS} channels in or out. An input that is not one C-order run (M-Net's last reads a
     * cropped view) is copied into one first ({@link #forward}, {@link #backward}).
     */
    static boolean applies(ConvolutionLayer conf, INDArray input) {
        int[] kernel = conf.getKernelSize();
        boolean keepsSize = conf.getConvolutionMode() == ConvolutionMode.Same
                || (conf.getPadding()[0] == kernel[0] / 2 && conf.getPadding()[1] == kernel[1] / 2);
        return Backend.vectorKernels() && conf.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && input.dataType() == DataType.FLOAT && input.rank() == 4 && kernel[0] == kernel[1] && kernel[0] % 2 == 1 && keepsSize
                && conf.getStride()[0] == 1 && conf.getStride()[1] == 1 && conf.getDilation()[0] == 1
                && conf.getDilation()[1] == 1 && conf.getActivationFn() instanceof ActivationIdentity
                && TransientConvolution.plain(conf) && Math.min(conf.getNIn(), conf.getNOut()) <= FEW_CHANNELS;
    }

    private static DirectConvolutionKernels.Geometry geometry(ConvolutionLayer conf, INDArray input) {
        return new DirectConvolutionKernels.Geometry((int) input.size(0), (int) conf.getNIn(), (int) conf.getNOut(),
                (int) input.size(2), (int) input.size(3), conf.getKernelSize()[0]);
    }

    /** Writes the convolution of {@code input} into {@code output}, where {@link #applies}; {@code bias} may be null. */
    static void forward(ConvolutionLayer conf, INDArray input, INDArray weights, INDArray bias, INDArray output) {
        DirectConvolutionKernels.forward(geometry(conf, input), Floats.fitting(input), Floats.values(weights),
                bias == null ? null : Floats.values(bias), output);
    }

    /**
     * DL4J's backward pass of a convolution where {@link #applies}: the weights' (and bias's, where the layer has one)
     * gradients into their views, and the gradient at the input.
     */
    static Pair<Gradient, INDArray> backward(ConvolutionLayer conf, INDArray input, INDArray weights,
            INDArray epsilon, Map<String, INDArray> gradientViews, boolean hasBias, LayerWorkspaceMgr workspaceMgr) {
        INDArray outputGradient = Floats.fitting(epsilon);
        INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGradient = hasBias ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                input.shape(), 'c');
        float[] weightSums = new float[(int) weightGradient.length()];
        float[] biasSums = hasBias ? new float[(int) biasGradient.length()] : null;
        DirectConvolutionKernels.backward(geometry(conf, input), Floats.fitting(input), Floats.values(weights),
                outputGradient, inputGradient, weightSums, biasSums);
        Floats.assign(weightGradient, weightSums);
        if (hasBias) {
            Floats.assign(biasGradient, biasSums);
        }
        return TransientConvolution.backwardResult(weightGradient, biasGradient, inputGradient);
    }

    static final class Implementation extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {
        /** Read when the layer is made, as DL4J reads the switch for its helpers. */
        private final boolean helpers = Backend.helpersOn();

        Implementation(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(false);
            if (!direct()) {
                return super.activate(training, workspaceMgr);
            }
            INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                    TransientConvolution.outputShape(input, layerConf()), 'c');
            forward(layerConf(), input, getParam(ConvolutionParamInitializer.WEIGHT_KEY),
                    hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY) : null, output);
            return output;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (!direct()) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            return backward(layerConf(), input, getParam(ConvolutionParamInitializer.WEIGHT_KEY), epsilon,
                    gradientViews, hasBias(), workspaceMgr);
        }

        private boolean direct() {
            return helpers && applies(layerConf(), input);
        }
    }
}
