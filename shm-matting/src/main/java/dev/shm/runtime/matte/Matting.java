package dev.shm.runtime.matte;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Photos in, mattes out, as every goal runs a trained model: the photo resized to the model's square (bicubic) and
 * normalised, the network run, its alpha brought back to the photo's size by the {@link Refinement} and clamped to
 * [0, 1]. Thread-safe: one instance serves any number of threads.
 *
 * <pre>{@code
 * try (Matting matting = Matting.open(Path.of("shm_export.onnx"))) {
 *     Matte alpha = matting.matte(Codecs.decodeRgb(Files.readAllBytes(Path.of("photo.jpg"))));
 * }
 * }</pre>
 */
public final class Matting implements AutoCloseable {
    private final MattePredictor predictor;
    private final int size;
    private final Refinement refinement;

    /** Runs {@code predictor} at {@code size} with bicubic upsampling, as shm:eval scores a model. */
    public Matting(MattePredictor predictor, int size) {
        this(predictor, size, Refinement.NONE);
    }

    public Matting(MattePredictor predictor, int size, Refinement refinement) {
        this.predictor = predictor;
        this.size = size;
        this.refinement = refinement;
    }

    /** An exported shm model ({@code .onnx}), which carries everything it needs. */
    public static Matting open(Path model) {
        return open(model, ModelSpec.FROM_MODEL);
    }

    /** An ONNX matting model, told by {@code spec} what it does not say itself; each photo uses every core. */
    public static Matting open(Path model, ModelSpec spec) {
        return open(model, spec, Runtime.getRuntime().availableProcessors());
    }

    /**
     * An ONNX matting model whose network runs on {@code threadsPerPhoto} cores a photo: all of them for the
     * shortest wait on one photo, 1 for the most photos a second when many are matted at once ({@link PhotoMatting}
     * runs one photo a core).
     */
    public static Matting open(Path model, ModelSpec spec, int threadsPerPhoto) {
        if (!model.getFileName().toString().endsWith(".onnx")) {
            throw new ShmException(model + " is not an ONNX model (.onnx); export a checkpoint with shm:export, or "
                    + "matte with it through shm:matte, which exports it in memory");
        }
        OnnxRuntimePredictor onnx = OnnxRuntimePredictor.open(model, spec, threadsPerPhoto);
        return new Matting(onnx, onnx.inputSize());
    }

    /** The same model with another refinement; closing either closes the model. */
    public Matting refinedBy(Refinement other) {
        return new Matting(predictor, size, other);
    }

    /** The side of the square the network sees. */
    public int size() {
        return size;
    }

    /** How many cores one photo's network run keeps busy. */
    public int threadsPerPhoto() {
        return predictor.threadsPerRun();
    }

    /** What runs, for logs, reports and fingerprints. */
    public String describe() {
        return predictor.describe() + " at " + size + "x" + size + ", refinement " + refinement.describe();
    }

    /** The alpha matte of an RGB photo, at the photo's size. */
    public Matte matte(Raster rgb) {
        return matte(List.of(rgb)).get(0);
    }

    /** The alpha mattes of RGB photos of any sizes, in order; the network runs them in the model's batches. */
    public List<Matte> matte(List<Raster> photos) {
        Raster[] seen = new Raster[photos.size()];
        float[][] inputs = new float[photos.size()][];
        IntStream.range(0, photos.size()).parallel().forEach(i -> {
            seen[i] = Preprocessing.seen(photos.get(i), size);
            inputs[i] = predictor.normalisation().apply(seen[i]);
        });
        float[][] outputs = predictor.predict(inputs, size);
        List<Matte> mattes = new ArrayList<>(photos.size());
        for (int i = 0; i < outputs.length; i++) {
            mattes.add(refinement.apply(small(outputs[i]), seen[i], photos.get(i)));
        }
        return mattes;
    }

    /** The photo with the matte as its alpha channel (RGBA). */
    public static Raster cutout(Raster rgb, Matte alpha) {
        return cutout(rgb, alpha.toRaster());
    }

    /** The photo with an 8-bit matte ({@link Matte#toRaster()}) as its alpha channel (RGBA). */
    public static Raster cutout(Raster rgb, Raster alpha) {
        int pixels = rgb.width() * rgb.height();
        byte[] gray = alpha.data();
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

    /** The network's alpha as a square matte, checked. */
    private Matte small(float[] output) {
        int side = (int) Math.round(Math.sqrt(output.length));
        if (side * side != output.length) {
            throw new ShmException("The model (" + predictor.describe() + ") gave " + output.length + " alpha values "
                    + "per image, not a square matte");
        }
        for (float v : output) {
            if (!Float.isFinite(v)) {
                throw new ShmException("The model (" + predictor.describe() + ") predicted " + v
                        + "; the checkpoint is broken, train it again");
            }
        }
        return new Matte(side, side, output);
    }
}
