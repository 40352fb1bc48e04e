package dev.shm.runtime.matte;

import dev.shm.runtime.image.Raster;
import java.util.Arrays;

/**
 * How a network wants its RGB input: {@code (pixel / 255 - mean) / std} per channel, RGB order, planar CHW. A network
 * that takes raw 0..255 values is {@code mean 0, std 1/255}.
 */
public record Normalisation(double[] mean, double[] std) {
    public Normalisation {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need one value per RGB channel, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive in every channel, got " + Arrays.toString(std));
            }
        }
    }

    /** Three comma-separated numbers, as the model metadata and the command line write them. */
    public static double[] parseTriple(String text, String name) {
        String[] parts = text.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException(name + " must be three comma-separated numbers (R,G,B on 0..1), got '"
                    + text + "'");
        }
        double[] values = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                values[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be three comma-separated numbers, got '" + text + "'");
            }
        }
        return values;
    }

    /** The values comma-separated, each exactly (as {@link Double#toString}). */
    public static String join(double[] values) {
        StringBuilder text = new StringBuilder();
        for (double v : values) {
            text.append(text.length() == 0 ? "" : ",").append(v);
        }
        return text.toString();
    }

    /** The raster normalised, planar CHW. */
    public float[] apply(Raster rgb) {
        if (rgb.channels() != 3) {
            throw new IllegalArgumentException("expected an RGB raster, got " + rgb.channels() + " channels");
        }
        int pixels = rgb.width() * rgb.height();
        float[] out = new float[3 * pixels];
        byte[] data = rgb.data();
        for (int c = 0; c < 3; c++) {
            float channelMean = (float) mean[c];
            float scale = (float) (1.0 / (255.0 * std[c]));
            float offset = (float) (channelMean / std[c]);
            for (int i = 0; i < pixels; i++) {
                out[c * pixels + i] = (data[i * 3 + c] & 0xFF) * scale - offset;
            }
        }
        return out;
    }
}
