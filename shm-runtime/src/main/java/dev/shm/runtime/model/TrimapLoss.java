package dev.shm.runtime.model;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * L_t (docs/MODEL.md §2): 3-class softmax cross-entropy, averaged over every pixel ({@link PerPixelLoss}), times
 * {@code weight}.
 */
public class TrimapLoss extends PerPixelLoss {
    @JsonProperty("weight")
    private double weight;

    public TrimapLoss() {
        this(1.0, 1);
    }

    public TrimapLoss(double weight, long pixelsPerImage) {
        super(pixelsPerImage);
        this.weight = weight;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray probabilities = probabilities(preOutput, activationFn);
        INDArray logs = Transforms.log(Transforms.max(probabilities, 1e-12, false), false);
        return logs.muli(labels).sum(true, 1).negi().muli(weight / pixelsPerImage);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return probabilities(preOutput, activationFn).subi(labels).muli(weight / pixelsPerImage);
    }

    private static INDArray probabilities(INDArray preOutput, IActivation activationFn) {
        if (!(activationFn instanceof ActivationSoftmax)) {
            throw new IllegalStateException("TrimapLoss expects a softmax activation, got " + activationFn);
        }
        return activationFn.getActivation(preOutput.dup(), true);
    }

    @Override
    public String name() {
        return "TrimapLoss(weight=" + weight + ")";
    }
}
