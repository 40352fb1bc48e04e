package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LossesTest {
    static {
        Backend.init();
    }

    private static INDArray rows(double[][] values) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT);
    }

    @Test
    void trimapLossOfUniformLogitsIsLn3PerPixel() {
        INDArray logits = rows(new double[][] {{0, 0, 0}, {0, 0, 0}});
        INDArray labels = rows(new double[][] {{0, 0, 1}, {1, 0, 0}});
        TrimapLoss loss = new TrimapLoss(1.0, 2);
        // two pixels of one image: the per-pixel mean is ln 3; the layer divides by the batch size (1)
        assertEquals(Math.log(3), loss.computeScore(labels, logits, new ActivationSoftmax(), null, false), 1e-6);
        INDArray gradient = loss.computeGradient(labels, logits, new ActivationSoftmax(), null);
        assertEquals((1.0 / 3 - 1) / 2, gradient.getDouble(0, 2), 1e-6);
        assertEquals((1.0 / 3) / 2, gradient.getDouble(0, 0), 1e-6);
    }

    @Test
    void trimapLossOfAConfidentRightAnswerIsSmallAndWeighted() {
        INDArray logits = rows(new double[][] {{0, Math.log(8), 0}});
        INDArray labels = rows(new double[][] {{0, 1, 0}});
        // softmax = [0.1, 0.8, 0.1]: loss = -ln 0.8, times the end-to-end weight 0.01
        assertEquals(-Math.log(0.8) * 0.01,
                new TrimapLoss(0.01, 1).computeScore(labels, logits, new ActivationSoftmax(), null, false), 1e-6);
    }

    @Test
    void matteLossIsHalfAlphaErrorPlusHalfMeanCompositionError() {
        // alpha_p = 0.5, alpha_g = 1, image (0.2, -0.4, 1.0):
        // L_alpha = sqrt(0.25 + 1e-6); L_comp = mean_c sqrt((0.5 I_c - I_c)^2 + 1e-6)
        double[] image = {0.2, -0.4, 1.0};
        INDArray output = rows(new double[][] {{0.5, 0.5 * image[0], 0.5 * image[1], 0.5 * image[2]}});
        INDArray labels = rows(new double[][] {{1.0, image[0], image[1], image[2]}});
        double alpha = Math.sqrt(0.25 + 1e-6);
        double comp = 0;
        for (double c : image) {
            comp += Math.sqrt(0.25 * c * c + 1e-6) / 3;
        }
        MatteLoss loss = new MatteLoss(1);
        assertEquals(0.5 * alpha + 0.5 * comp, loss.computeScore(labels, output, new ActivationIdentity(), null, false),
                1e-6);
        INDArray gradient = loss.computeGradient(labels, output, new ActivationIdentity(), null);
        assertEquals(0.5 * -0.5 / alpha, gradient.getDouble(0, 0), 1e-5);
        assertEquals(0.5 / 3 * (-0.5 * image[2]) / Math.sqrt(0.25 * image[2] * image[2] + 1e-6), gradient.getDouble(0, 3), 1e-5);
    }

    @Test
    void perfectMatteCostsOnlyTheEpsilon() {
        INDArray same = rows(new double[][] {{0.3, 0.1, 0.1, 0.1}, {1, 1, 1, 1}});
        // two pixels of one image, each contributes sqrt(1e-6) = 0.001 in every weighted column (weights sum to 1)
        assertEquals(0.001, new MatteLoss(2).computeScore(same, same.dup(), new ActivationIdentity(), null, false), 1e-7);
    }
}
