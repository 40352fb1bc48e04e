package dev.shm.runtime.matte;

/** An engine that runs a whole matting network: normalised images in, alpha mattes (not yet clamped) out. */
public interface MattePredictor extends AutoCloseable {

    /**
     * @param images planar CHW normalised images, each 3 x {@code size} x {@code size}
     * @return one square alpha matte per image, flat, at the network's output size
     */
    float[][] predict(float[][] images, int size);

    /** The normalisation the network expects. */
    Normalisation normalisation();

    /** How many cores one {@link #predict} call keeps busy. */
    default int threadsPerRun() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** What runs, for logs and reports (engine and model file). */
    String describe();

    @Override
    default void close() {
    }
}
