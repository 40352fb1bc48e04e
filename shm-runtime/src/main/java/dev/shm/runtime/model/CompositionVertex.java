package dev.shm.runtime.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Training-only head: [alpha, alpha * I] from the predicted matte [N,1,H,W] and the network input I [N,3,H,W], so
 * one loss layer can score the alpha loss and the composition loss together (see {@link MatteLoss}).
 */
public class CompositionVertex extends SameDiffLambdaVertex {
    @Override
    public SDVariable defineVertex(SameDiff sameDiff, VertexInputs inputs) {
        SDVariable alpha = inputs.getInput(0);
        SDVariable image = inputs.getInput(1);
        return sameDiff.concat(1, alpha, image.mul(alpha));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional alpha = (InputType.InputTypeConvolutional) vertexInputs[0];
        return InputType.convolutional(alpha.getHeight(), alpha.getWidth(), 4);
    }
}
