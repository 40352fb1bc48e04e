package dev.shm.runtime.eval;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.model.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** How far two engines' mattes are apart on the same inputs: the check before one stands in for the other. */
public final class Parity {
    private Parity() {
    }

    /** A test image as the networks take it ({@link Inputs#networkInput}), or null where it cannot be decoded. */
    public static float[] input(Path image, int size, MeanStd normalisation) {
        Raster raster;
        try {
            raster = Codecs.decodeRgb(Files.readAllBytes(image));
        } catch (IOException e) {
            throw new ShmException("Cannot read " + image + ": " + e.getMessage(), e);
        }
        return raster == null ? null : Inputs.networkInput(raster, size, normalisation);
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
