package dev.shm.runtime.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Softmax over the channel axis of an NCHW activation: trimap logits to class probabilities per pixel. */
public class ChannelSoftmax extends SameDiffLambdaLayer {
    @Override
    public SDVariable defineLayer(SameDiff sameDiff, SDVariable layerInput) {
        return sameDiff.nn.softmax(layerInput, 1);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }
}
