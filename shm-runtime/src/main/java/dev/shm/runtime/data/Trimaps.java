package dev.shm.runtime.data;

import dev.shm.runtime.image.Morphology;
import dev.shm.runtime.image.Raster;
import java.util.SplittableRandom;

/** Trimaps from mattes: background 0, unknown 128, foreground 255 (docs/MODEL.md §3.2). */
public final class Trimaps {
    public static final int BACKGROUND = 0;
    public static final int UNKNOWN = 128;
    public static final int FOREGROUND = 255;
    public static final int RANDOM_KSIZE_MIN = 3;
    public static final int RANDOM_KSIZE_MAX = 9;

    private Trimaps() {
    }

    /** Dilates and erodes the matte with an elliptical kernel of {@code ksize}, one iteration each. */
    public static Raster fromMatte(Raster matte, int ksize) {
        return combine(Morphology.dilate(matte, ksize), Morphology.erode(matte, ksize));
    }

    /** Foreground where the eroded matte is 255, unknown where the dilated matte is above 0, background elsewhere. */
    public static Raster combine(Raster dilated, Raster eroded) {
        if (!dilated.sameSize(eroded) || dilated.channels() != 1 || eroded.channels() != 1) {
            throw new IllegalArgumentException("dilated and eroded mattes must be gray and of one size");
        }
        byte[] d = dilated.data();
        byte[] e = eroded.data();
        byte[] out = new byte[d.length];
        for (int i = 0; i < out.length; i++) {
            if ((e[i] & 0xFF) == 255) {
                out[i] = (byte) FOREGROUND;
            } else if ((d[i] & 0xFF) > 0) {
                out[i] = (byte) UNKNOWN;
            }
        }
        return new Raster(dilated.width(), dilated.height(), 1, out);
    }

    /**
     * The kernel size for one sample: {@code ksize} when fixed, else drawn from [3, 9] by a generator seeded with the
     * run's seed and the sample's name, so the draw does not depend on the order or the thread that processes it.
     */
    public static int kernelSize(boolean fixed, int ksize, long seed, String sampleName) {
        if (fixed) {
            return ksize;
        }
        long mixed = seed * 0x9E3779B97F4A7C15L + sampleName.hashCode();
        return new SplittableRandom(mixed).nextInt(RANDOM_KSIZE_MIN, RANDOM_KSIZE_MAX + 1);
    }
}
