package dev.shm.runtime.metrics;

/** Sum of absolute differences between two mattes on 0..1, divided by 1000 (the field's and the seed's SAD). */
public final class Sad {
    private Sad() {
    }

    public static double of(float[] alpha, float[] groundTruth) {
        if (alpha.length != groundTruth.length) {
            throw new IllegalArgumentException("mattes of different sizes: " + alpha.length + " and " + groundTruth.length);
        }
        double sum = 0;
        for (int i = 0; i < alpha.length; i++) {
            sum += Math.abs(alpha[i] - groundTruth[i]);
        }
        return sum / 1000.0;
    }
}
