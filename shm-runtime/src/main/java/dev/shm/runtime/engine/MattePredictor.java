package dev.shm.runtime.engine;

import dev.shm.runtime.data.MeanStd;

/** An engine that runs the whole network: normalised images in, fused alpha mattes (not yet clamped) out. */
public interface MattePredictor extends AutoCloseable {

    /**
     * @param images planar CHW normalised images, each 3 x {@code size} x {@code size}
     * @return one alpha matte of {@code size} x {@code size} per image
     */
    float[][] predict(float[][] images, int size);

    /** The normalisation the network expects. */
    MeanStd normalisation();

    /** What runs, for logs and reports (engine and model file). */
    String describe();

    @Override
    default void close() {
    }
}
