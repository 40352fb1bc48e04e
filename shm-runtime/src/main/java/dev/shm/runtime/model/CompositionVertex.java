package dev.shm.runtime.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Training-only head: [alpha, alpha * I] from the predicted matte [N,1,H,W] and the network input I [N,3,H,W], so
 * one loss layer can score the alpha loss and the composition loss together (see {@link MatteLoss}).
 */
public class CompositionVertex extends PixelwiseVertex {
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

    @Override
    int outputChannels() {
        return 4;
    }

    @Override
    void forward(float[][] inputs, float[] out, int plane) {
        float[] alpha = inputs[0];
        float[] image = inputs[1];
        System.arraycopy(alpha, 0, out, 0, plane);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                out[(1 + c) * plane + i] = image[c * plane + i] * alpha[i];
            }
        }
    }

    /** d alpha = dOut_0 + sum_c dOut_c+1 I_c, d I_c = dOut_c+1 alpha. */
    @Override
    void backward(float[][] inputs, float[] dOut, float[][] gradients, int plane) {
        float[] alpha = inputs[0];
        float[] image = inputs[1];
        float[] dAlpha = gradients[0];
        float[] dImage = gradients[1];
        for (int i = 0; i < plane; i++) {
            float throughImage = dOut[plane + i] * image[i] + dOut[2 * plane + i] * image[plane + i]
                    + dOut[3 * plane + i] * image[2 * plane + i];
            dAlpha[i] = dOut[i] + throughImage;
        }
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                dImage[c * plane + i] = dOut[(1 + c) * plane + i] * alpha[i];
            }
        }
    }
}
