package dev.shm.runtime.engine;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import java.nio.file.Path;

/**
 * Photos in, mattes out, as every goal runs a trained model: the photo resized to the model's size and normalised,
 * the network run, its alpha resized back to the photo's size (bicubic) and clamped to [0, 1]. Thread-safe when its
 * predictor is (ONNX Runtime's is).
 *
 * <pre>{@code
 * try (Matting matting = Matting.open(Path.of("shm_export.onnx"))) {
 *     Matte alpha = matting.matte(photo);
 * }
 * }</pre>
 */
public final class Matting implements AutoCloseable {
    private final MattePredictor predictor;
    private final int size;

    public Matting(MattePredictor predictor, int size) {
        this.predictor = predictor;
        this.size = size;
    }

    /**
     * An exported shm {@code .onnx} at its own input size, or a checkpoint exported in memory at the size it was
     * trained at; both run in ONNX Runtime.
     */
    public static Matting open(Path model) {
        if (model.getFileName().toString().endsWith(".onnx")) {
            OnnxRuntimePredictor onnx = OnnxRuntimePredictor.open(model);
            return new Matting(onnx, onnx.inputSize());
        }
        int size = Checkpoints.readState(model).patchSize();
        try (Dl4jPredictor dl4j = Dl4jPredictor.load(model)) {
            return new Matting(OnnxRuntimePredictor.exportedFrom(dl4j, model, size), size);
        }
    }

    /** The side of the square the network sees. */
    public int size() {
        return size;
    }

    /** What runs, for logs and reports. */
    public String describe() {
        return predictor.describe();
    }

    /** The alpha matte of an RGB photo, at the photo's size. */
    public Matte matte(Raster rgb) {
        float[] input = Preprocessing.networkInput(rgb, size, predictor.normalisation());
        float[] output = predictor.predict(new float[][] {input}, size)[0];
        for (float v : output) {
            if (!Float.isFinite(v)) {
                throw new ShmException("The model (" + predictor.describe() + ") predicted " + v
                        + "; the checkpoint is broken, train it again");
            }
        }
        return Resize.to(new Matte(size, size, output), rgb.width(), rgb.height(), Resize.Interpolation.CUBIC)
                .clamped();
    }

    /** The photo with the matte as its alpha channel (RGBA). */
    public static Raster cutout(Raster rgb, Matte alpha) {
        int pixels = rgb.width() * rgb.height();
        byte[] gray = alpha.toRaster().data();
        byte[] rgba = new byte[pixels * 4];
        for (int i = 0; i < pixels; i++) {
            System.arraycopy(rgb.data(), i * 3, rgba, i * 4, 3);
            rgba[i * 4 + 3] = gray[i];
        }
        return new Raster(rgb.width(), rgb.height(), 4, rgba);
    }

    @Override
    public void close() {
        predictor.close();
    }
}
