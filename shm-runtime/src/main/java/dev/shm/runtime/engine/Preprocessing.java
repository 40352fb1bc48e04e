package dev.shm.runtime.engine;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import dev.shm.runtime.model.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A photo as a trained network takes it at inference: resized (bicubic) to the model's size, then normalised. */
public final class Preprocessing {
    private Preprocessing() {
    }

    /** {@code rgb} resized to {@code size} x {@code size} and normalised by {@code stats}, planar CHW. */
    public static float[] networkInput(Raster rgb, int size, MeanStd stats) {
        return Inputs.normalise(Resize.to(rgb, size, size, Resize.Interpolation.CUBIC), stats);
    }

    /** The image file as {@link #networkInput(Raster, int, MeanStd)} makes it, or null where it cannot be decoded. */
    public static float[] networkInput(Path image, int size, MeanStd stats) {
        Raster raster;
        try {
            raster = Codecs.decodeRgb(Files.readAllBytes(image));
        } catch (IOException e) {
            throw new ShmException("Cannot read " + image + ": " + e.getMessage(), e);
        }
        return raster == null ? null : networkInput(raster, size, stats);
    }
}
