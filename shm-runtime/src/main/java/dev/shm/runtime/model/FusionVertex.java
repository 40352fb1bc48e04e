package dev.shm.runtime.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The fusion module (docs/MODEL.md §1.3): from class probabilities S (0 background, 1 unknown, 2 foreground) and the
 * raw M-Net matte, alpha_p = S_fg + S_unknown * alpha_r. Inputs: probabilities [N,3,H,W], raw matte [N,1,H,W].
 */
public class FusionVertex extends PixelwiseVertex {
    @Override
    public SDVariable defineVertex(SameDiff sameDiff, VertexInputs inputs) {
        SDVariable probabilities = inputs.getInput(0);
        SDVariable rawAlpha = inputs.getInput(1);
        SDVariable unknown = probabilities.get(SDIndex.all(), SDIndex.interval(1, 2), SDIndex.all(), SDIndex.all());
        SDVariable foreground = probabilities.get(SDIndex.all(), SDIndex.interval(2, 3), SDIndex.all(), SDIndex.all());
        return foreground.add(unknown.mul(rawAlpha));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        return vertexInputs[1];
    }

    @Override
    int outputChannels() {
        return 1;
    }

    @Override
    void forward(float[][] inputs, float[] alpha, int plane) {
        float[] probabilities = inputs[0];
        float[] rawAlpha = inputs[1];
        for (int i = 0; i < plane; i++) {
            alpha[i] = probabilities[2 * plane + i] + probabilities[plane + i] * rawAlpha[i];
        }
    }

    /** d S_unknown = dAlpha alpha_r, d S_fg = dAlpha, d S_bg = 0, d alpha_r = dAlpha S_unknown. */
    @Override
    void backward(float[][] inputs, float[] dAlpha, float[][] gradients, int plane) {
        float[] probabilities = inputs[0];
        float[] rawAlpha = inputs[1];
        float[] dProbabilities = gradients[0];
        float[] dRawAlpha = gradients[1];
        for (int i = 0; i < plane; i++) {
            dProbabilities[i] = 0;
            dProbabilities[plane + i] = dAlpha[i] * rawAlpha[i];
            dProbabilities[2 * plane + i] = dAlpha[i];
            dRawAlpha[i] = dAlpha[i] * probabilities[plane + i];
        }
    }
}
