package dev.shm.runtime.model;

import dev.shm.runtime.data.Trimaps;
import dev.shm.runtime.image.Raster;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Rasters to network tensors (NCHW float32): normalised images, one-hot trimaps, mattes on 0..1. */
public final class Inputs {
    private Inputs() {
    }

    /** Trimap 0/128/255 to one-hot planes for classes 0 background, 1 unknown, 2 foreground. */
    public static float[] oneHot(Raster trimap) {
        int pixels = trimap.width() * trimap.height();
        float[] out = new float[3 * pixels];
        byte[] data = trimap.data();
        for (int i = 0; i < pixels; i++) {
            out[classOf(data[i] & 0xFF) * pixels + i] = 1f;
        }
        return out;
    }

    /** The trimap class of a stored trimap value: nearest of 0, 128 and 255. */
    public static int classOf(int value) {
        if (value < (Trimaps.UNKNOWN) / 2) {
            return 0;
        }
        return value < (Trimaps.UNKNOWN + Trimaps.FOREGROUND + 1) / 2 ? 1 : 2;
    }

    public static float[] matte(Raster alpha) {
        float[] out = new float[alpha.width() * alpha.height()];
        byte[] data = alpha.data();
        for (int i = 0; i < out.length; i++) {
            out[i] = (data[i] & 0xFF) / 255f;
        }
        return out;
    }

    /** Stacks per-sample planar arrays of {@code channels} x {@code height} x {@code width} into one batch. */
    public static INDArray batch(List<float[]> samples, int channels, int height, int width) {
        int each = channels * height * width;
        float[] all = new float[samples.size() * each];
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i), 0, all, i * each, each);
        }
        return Nd4j.create(all, new long[] {samples.size(), channels, height, width}, 'c');
    }
}
