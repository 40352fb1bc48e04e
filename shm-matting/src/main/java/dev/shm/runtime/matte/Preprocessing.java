package dev.shm.runtime.matte;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A photo as a trained network takes it at inference: resized (bicubic) to the model's square, then normalised. */
public final class Preprocessing {
    private Preprocessing() {
    }

    /** The photo as the network sees it, before normalisation. */
    public static Raster seen(Raster rgb, int size) {
        return Resize.to(rgb, size, size, Resize.Interpolation.CUBIC);
    }

    /** {@code rgb} resized to {@code size} x {@code size} and normalised, planar CHW. */
    public static float[] networkInput(Raster rgb, int size, Normalisation normalisation) {
        return normalisation.apply(seen(rgb, size));
    }

    /** The image file as {@link #networkInput(Raster, int, Normalisation)} makes it, or null where it cannot be decoded. */
    public static float[] networkInput(Path image, int size, Normalisation normalisation) {
        Raster raster;
        try {
            raster = Codecs.decodeRgb(Files.readAllBytes(image));
        } catch (IOException e) {
            throw new ShmException("Cannot read " + image + ": " + e.getMessage(), e);
        }
        return raster == null ? null : networkInput(raster, size, normalisation);
    }
}
