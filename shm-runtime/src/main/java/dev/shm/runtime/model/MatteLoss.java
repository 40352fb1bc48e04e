package dev.shm.runtime.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * L_p = 0.5 L_alpha + 0.5 L_comp (docs/MODEL.md §2) on the head of {@link CompositionVertex}: each row is one pixel with
 * columns [alpha_p, alpha_p I_r, alpha_p I_g, alpha_p I_b] against labels [alpha_g, alpha_g I_r, alpha_g I_g,
 * alpha_g I_b]. Each column's error is sqrt(d^2 + 1e-6); the alpha column weighs 0.5, each colour column 0.5/3, and
 * the sum is a per-pixel mean ({@link PerPixelLoss}).
 */
public class MatteLoss extends PerPixelLoss {
    public static final double EPSILON = 1e-6;

    public MatteLoss() {
        this(1);
    }

    public MatteLoss(long pixelsPerImage) {
        super(pixelsPerImage);
    }

    private INDArray columnWeights(INDArray like) {
        return Nd4j.createFromArray(0.5, 0.5 / 3, 0.5 / 3, 0.5 / 3).castTo(like.dataType()).reshape(1, 4)
                .divi(pixelsPerImage);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        INDArray difference = output.subi(labels);
        INDArray error = Transforms.sqrt(difference.muli(difference).addi(EPSILON), false);
        return error.muliRowVector(columnWeights(error)).sum(true, 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        INDArray difference = output.subi(labels);
        INDArray norm = Transforms.sqrt(difference.mul(difference).addi(EPSILON), false);
        INDArray dLdOut = difference.divi(norm).muliRowVector(columnWeights(difference));
        return activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
    }

    @Override
    public String name() {
        return "MatteLoss";
    }
}
