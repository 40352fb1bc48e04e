package dev.shm.runtime.engine;

import dev.shm.runtime.matte.MattePredictor;
import java.util.List;

/** How far two engines' mattes are apart on the same inputs: the check before one stands in for the other. */
public final class Parity {
    private Parity() {
    }

    /** The largest alpha difference between {@code a} and {@code b} over {@code inputs}, one image at a time. */
    public static double largestAlphaDifference(MattePredictor a, MattePredictor b, List<float[]> inputs, int size) {
        double worst = 0;
        for (float[] input : inputs) {
            float[] x = a.predict(new float[][] {input}, size)[0];
            float[] y = b.predict(new float[][] {input}, size)[0];
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }
}
