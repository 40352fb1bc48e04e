package dev.shm.runtime.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link TransientConvolution} for a depthwise convolution. */
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
        return CustomLayers.wire(new Runtime(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    static final class Runtime extends DepthwiseConvolution2DLayer implements ConvolutionScratch.Producer {
        /** Read when the layer is made, as DL4J reads the switch for its helpers (this layer has none). */
        private final boolean helpers = !Boolean.getBoolean(Backend.HELPERS_DISABLED);
        private INDArray outputGradient;

        Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        /** With DL4J's helpers off, every layer is DL4J's own code. */
        private boolean handsOver() {
            return helpers && TransientConvolution.isTransient(layerConf());
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!training || !handsOver()) {
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
            TransientConvolution.convolve("depthwise_conv2d", input,
                    getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY), bias, layerConf(), output);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            outputGradient = handsOver() ? epsilon : null;
            try {
                return super.backpropGradient(epsilon, workspaceMgr);
            } finally {
                outputGradient = null;
            }
        }

        @Override
        protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
            if (forBackprop && outputGradient != null) {
                return new Pair<>(outputGradient, null);
            }
            return super.preOutput(training, forBackprop, workspaceMgr);
        }
    }
}
