package dev.shm.runtime.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A loss of DL4J's {@code CnnLossLayer}, which hands it one row per pixel and divides by the batch size only: the
 * score array is divided by the pixels of one image, so the reported score is a per-pixel mean per image.
 */
abstract class PerPixelLoss implements ILossFunction {
    @JsonProperty("pixelsPerImage")
    protected long pixelsPerImage;

    PerPixelLoss(long pixelsPerImage) {
        this.pixelsPerImage = pixelsPerImage;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum * pixelsPerImage / labels.size(0) : sum;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String toString() {
        return name();
    }
}
