package dev.shm.runtime.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLU or ReLU6 after a batch norm, applied in place while training: DL4J keeps every vertex's output for the
 * backward pass, and the batch norm's own output is needed by nothing but this layer, so overwriting it saves one
 * stored activation per convolution block (27% of T-Net + M-Net's training activations). The backward pass reads
 * the activation's output where DL4J reads its input, which gives the same mask for both functions (0 < y < 6 exactly
 * where 0 < x < 6; y > 0 exactly where x > 0). At inference it is DL4J's activation layer.
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
        return CustomLayers.wire(new Runtime(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    static final class Runtime extends org.deeplearning4j.nn.layers.ActivationLayer {
        Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!training) {
                return super.activate(false, workspaceMgr);
            }
            assertInputSet(false);
            return layerConf().getActivationFn().getActivation(workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input), true);
        }
    }
}
