package dev.shm.runtime.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Softmax over the channel axis of an NCHW activation: trimap logits to class probabilities per pixel. Written out
 * as exp(x - max) / sum: SameDiff's softmax op on a 4-D array with dimension 1 does not normalise over channels in
 * this DL4J version.
 */
public class ChannelSoftmax extends SameDiffLambdaLayer {
    @Override
    public SDVariable defineLayer(SameDiff sameDiff, SDVariable layerInput) {
        SDVariable shifted = layerInput.sub(layerInput.max(true, 1));
        SDVariable exponentials = sameDiff.math.exp(shifted);
        return exponentials.div(exponentials.sum(true, 1));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }
}
