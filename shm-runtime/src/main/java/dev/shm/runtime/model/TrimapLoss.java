package dev.shm.runtime.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * L_t (SHM-SPEC §2): 3-class softmax cross-entropy, averaged over every pixel, times {@code weight}. DL4J's
 * {@code CnnLossLayer} hands the loss one row per pixel and divides by the batch size only, so the loss divides by
 * the pixels of one image to make the result a per-pixel mean.
 */
public class TrimapLoss implements ILossFunction {
    @JsonProperty("weight")
    private double weight;
    @JsonProperty("pixelsPerImage")
    private long pixelsPerImage;

    public TrimapLoss() {
        this(1.0, 1);
    }

    public TrimapLoss(double weight, long pixelsPerImage) {
        this.weight = weight;
        this.pixelsPerImage = pixelsPerImage;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray probabilities = probabilities(preOutput, activationFn);
        INDArray logs = Transforms.log(Transforms.max(probabilities, 1e-12, false), false);
        return logs.muli(labels).sum(true, 1).negi().muli(weight / pixelsPerImage);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum * pixelsPerImage / labels.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return probabilities(preOutput, activationFn).subi(labels).muli(weight / pixelsPerImage);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
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

    @Override
    public String toString() {
        return name();
    }
}
