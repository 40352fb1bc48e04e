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
        return CustomLayers.wire(new Implementation(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
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
            TransientConvolution.convolve("depthwise_conv2d", input,
                    getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY), bias, layerConf(), output);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            return handOver.backward(epsilon, layerConf(), () -> super.backpropGradient(epsilon, workspaceMgr));
        }

        @Override
        protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
            return handOver.preOutput(forBackprop, () -> super.preOutput(training, forBackprop, workspaceMgr));
        }
    }
}
