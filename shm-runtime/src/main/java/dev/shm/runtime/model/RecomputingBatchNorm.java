package dev.shm.runtime.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch norm after a {@link TransientConvolution}: where its training input is the convolution's transient output,
 * it has the convolution write that output again, from the convolution's kept input, just before its own backward
 * pass. With any other input it is DL4J's layer.
 */
public class RecomputingBatchNorm extends BatchNormalization {
    public RecomputingBatchNorm() {
    }

    /** The same batch norm as {@code source}. */
    public static RecomputingBatchNorm of(BatchNormalization source) {
        return CustomLayers.copyInto(source, new RecomputingBatchNorm());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType dataType) {
        return CustomLayers.wire(new Runtime(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    static final class Runtime extends org.deeplearning4j.nn.layers.normalization.BatchNormalization {
        private ConvolutionScratch.Producer producer;

        Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(false);
            producer = training ? ConvolutionScratch.producerOf(input, layerId()) : null;
            if (training) {
                BatchNormStatistics.observe(layerConf().getLayerName(), input);
            }
            return super.activate(training, workspaceMgr);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (producer != null) {
                input = ConvolutionScratch.hold(producer, dataType);
            }
            return super.backpropGradient(epsilon, workspaceMgr);
        }
    }
}
