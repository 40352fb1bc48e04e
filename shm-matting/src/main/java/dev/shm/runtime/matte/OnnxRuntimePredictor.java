package dev.shm.runtime.matte;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.io.NativeCache;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ONNX matting model run by ONNX Runtime on the CPU: shm's exports, which describe themselves, and models from
 * elsewhere, described by a {@link ModelSpec}. The input is one RGB image tensor, NCHW or NHWC; the alpha output
 * holds one matte per image, clamped to [0, 1] or not.
 */
public final class OnnxRuntimePredictor implements MattePredictor {
    private static final String NATIVE_PATH = "onnxruntime.native.path";
    /** Set to the class loader that pointed {@value #NATIVE_PATH} at the cache, for any later one to see. */
    private static final String NATIVE_PATH_OWNER = "shm.onnxruntime.nativePathOwner";

    static {
        useCachedNatives();
    }

    private final OrtSession session;
    private final String input;
    private final boolean channelsLast;
    /** The batch the model's input shape fixes, or 0 where it is free. */
    private final int batch;
    private final int size;
    private final Normalisation normalisation;
    /** Where the alpha is among the outputs. */
    private final int alphaIndex;
    private final String description;
    private final int threads;

    private OnnxRuntimePredictor(OrtSession session, ModelSpec spec, String description, int threads)
            throws OrtException {
        this.session = session;
        this.description = description;
        this.threads = threads;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new ShmException("The ONNX model " + description + " has " + inputs.size() + " inputs "
                    + inputs.keySet() + "; a matting model takes one image");
        }
        this.input = inputs.keySet().iterator().next();
        long[] shape = ((TensorInfo) inputs.get(input).getInfo()).getShape();
        if (shape.length != 4 || (shape[1] != 3 && shape[3] != 3)) {
            throw new ShmException("The ONNX model " + description + " takes " + input + " of shape "
                    + Arrays.toString(shape) + "; expected an RGB image, N x 3 x H x W or N x H x W x 3");
        }
        this.channelsLast = shape[1] != 3;
        this.batch = shape[0] > 0 ? (int) shape[0] : 0;
        long height = channelsLast ? shape[1] : shape[2];
        long width = channelsLast ? shape[2] : shape[3];
        this.size = spec.size() > 0 ? spec.size() : fixedSide(height, width, shape);
        if (height > 0 && width > 0 && (height != size || width != size)) {
            throw new ShmException("The ONNX model " + description + " takes " + width + "x" + height + " images, not "
                    + size + "x" + size + "; leave the input size out or give " + width);
        }
        this.normalisation = spec.normalisation() != null ? spec.normalisation() : metadataNormalisation();
        List<String> outputs = new ArrayList<>(session.getOutputNames());
        this.alphaIndex = outputs.indexOf(alphaOutput(spec.alphaOutput(), outputs));
    }

    /** Opens a model file; each run uses every core. */
    public static OnnxRuntimePredictor open(Path model, ModelSpec spec) {
        return open(model, spec, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Opens a model file whose runs use {@code threads} cores each. One core a run and one run a core is the
     * faster way through many photos: at 320² on two cores, two one-core runs at a time do 1.3 times the photos of
     * one two-core run at a time.
     */
    public static OnnxRuntimePredictor open(Path model, ModelSpec spec, int threads) {
        if (!Files.isRegularFile(model)) {
            throw new ShmException("The model " + model + " does not exist or is not a file; give an ONNX model");
        }
        try {
            return open(Files.readAllBytes(model), model.toString(), spec, threads);
        } catch (IOException e) {
            throw new ShmException("Cannot read the model " + model + ": " + e.getMessage(), e);
        }
    }

    /** Opens an shm export (file bytes); {@code description} names it in logs and reports. */
    public static OnnxRuntimePredictor open(byte[] model, String description) {
        return open(model, description, ModelSpec.FROM_MODEL, Runtime.getRuntime().availableProcessors());
    }

    /** Opens a model (file bytes) as {@code spec} describes it, each run on {@code threads} cores. */
    public static OnnxRuntimePredictor open(byte[] model, String description, ModelSpec spec, int threads) {
        OrtSession session = null;
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            session = OrtEnvironment.getEnvironment().createSession(model, options);
            String given = spec.describe();
            return new OnnxRuntimePredictor(session, spec, "ONNX Runtime " + description
                    + (given.isEmpty() ? "" : " (" + given + ")"), threads);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof ShmException shm) {
                throw shm;
            }
            throw new ShmException("ONNX Runtime cannot load " + description + ": " + e.getMessage(), e);
        }
    }

    /** The side of the square image the model takes. */
    public int inputSize() {
        return size;
    }

    /** Every output for one batch of planar CHW images, flat, in the model's order of outputs. */
    public float[][] run(float[] images, int side) {
        int count = images.length / (3 * side * side);
        float[] data = channelsLast ? interleaved(images, count, side * side) : images;
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(data),
                channelsLast ? new long[] {count, side, side, 3} : new long[] {count, 3, side, side});
                OrtSession.Result result = session.run(Map.of(input, tensor))) {
            float[][] out = new float[result.size()][];
            for (int i = 0; i < out.length; i++) {
                FloatBuffer values = ((OnnxTensor) result.get(i)).getFloatBuffer();
                out[i] = new float[values.remaining()];
                values.get(out[i]);
            }
            return out;
        } catch (OrtException e) {
            throw new ShmException("ONNX Runtime failed on " + description + ": " + e.getMessage(), e);
        }
    }

    /** One alpha per image, each at the model's output size (a square, flat). */
    @Override
    public float[][] predict(float[][] images, int side) {
        int each = 3 * side * side;
        int step = batch == 0 ? images.length : batch;
        float[][] out = new float[images.length][];
        for (int from = 0; from < images.length; from += step) {
            float[] chunk = new float[step * each];
            int count = Math.min(step, images.length - from);
            for (int i = 0; i < count; i++) {
                System.arraycopy(images[from + i], 0, chunk, i * each, each);
            }
            float[] alphas = run(chunk, side)[alphaIndex];
            int per = alphas.length / step;
            for (int i = 0; i < count; i++) {
                out[from + i] = Arrays.copyOfRange(alphas, i * per, (i + 1) * per);
            }
        }
        return out;
    }

    @Override
    public int threadsPerRun() {
        return threads;
    }

    @Override
    public Normalisation normalisation() {
        return normalisation;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ShmException(e.getMessage(), e);
        }
    }

    private int fixedSide(long height, long width, long[] shape) {
        if (height <= 0 || width <= 0 || height != width) {
            throw new ShmException("The ONNX model " + description + " does not fix a square input size (its input "
                    + "shape is " + Arrays.toString(shape) + "); give the side it was trained at (shm.modelSize, "
                    + "--size)");
        }
        return (int) height;
    }

    private Normalisation metadataNormalisation() throws OrtException {
        Map<String, String> metadata = session.getMetadata().getCustomMetadata();
        String mean = metadata.get(ModelSpec.MEAN_KEY);
        String std = metadata.get(ModelSpec.STD_KEY);
        if (mean == null || std == null) {
            throw new ShmException("The ONNX model " + description + " carries no normalisation ("
                    + ModelSpec.MEAN_KEY + " in its metadata): export it with shm:export, or give the mean and std its "
                    + "input is normalised with (shm.modelMean and shm.modelStd, --mean and --std: R,G,B on 0..1)");
        }
        return new Normalisation(Normalisation.parseTriple(mean, ModelSpec.MEAN_KEY),
                Normalisation.parseTriple(std, ModelSpec.STD_KEY));
    }

    private String alphaOutput(String given, List<String> names) {
        if (given == null) {
            if (names.contains(ModelSpec.ALPHA)) {
                return ModelSpec.ALPHA;
            }
            if (names.size() == 1) {
                return names.get(0);
            }
            throw new ShmException("The ONNX model " + description + " has the outputs " + names + " and none is "
                    + "named " + ModelSpec.ALPHA + "; say which is the alpha (shm.alphaOutput, --alpha-output: a name "
                    + "or an index from 0)");
        }
        if (names.contains(given)) {
            return given;
        }
        if (given.matches("\\d+") && Integer.parseInt(given) < names.size()) {
            return names.get(Integer.parseInt(given));
        }
        throw new ShmException("The ONNX model " + description + " has no output '" + given + "'; its outputs are "
                + names + " (give a name or an index from 0)");
    }

    private static float[] interleaved(float[] planar, int count, int pixels) {
        float[] out = new float[planar.length];
        for (int n = 0; n < count; n++) {
            int base = n * 3 * pixels;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < pixels; i++) {
                    out[base + i * 3 + c] = planar[base + c * pixels + i];
                }
            }
        }
        return out;
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // the failure that led here is the one to report
            }
        }
    }

    /**
     * Points ONNX Runtime at its natives unpacked once in the {@link NativeCache}; left to itself it unpacks them into
     * a new {@code onnxruntime-java<N>} temporary folder on every start and leaves that folder behind. A second class
     * loader in this JVM (another plugin realm) gets a copy of its own, which it removes on exit, because a JNI
     * library loads into one class loader only.
     */
    private static synchronized void useCachedNatives() {
        String owner = OnnxRuntimePredictor.class.getClassLoader().toString();
        String setBy = System.getProperty(NATIVE_PATH_OWNER);
        if (System.getProperty(NATIVE_PATH) != null && setBy == null) {
            return;
        }
        String platform = nativePlatform();
        String version = OrtEnvironment.class.getPackage().getImplementationVersion();
        if (platform == null || version == null || owner.equals(setBy)) {
            return;
        }
        Path dir = NativeCache.root().resolve("onnxruntime-" + version + "-" + platform);
        List<String> libraries = platform.startsWith("win") ? List.of("onnxruntime.dll", "onnxruntime4j_jni.dll")
                : platform.startsWith("osx") ? List.of("libonnxruntime.dylib", "libonnxruntime4j_jni.dylib")
                : List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");
        for (String library : libraries) {
            NativeCache.unpack(OrtEnvironment.class.getClassLoader(), "ai/onnxruntime/native/" + platform + "/"
                    + library, dir.resolve(library));
        }
        if (setBy != null) {
            dir = NativeCache.privateCopy(dir, libraries);
        }
        System.setProperty(NATIVE_PATH, dir.toString());
        System.setProperty(NATIVE_PATH_OWNER, owner);
    }

    /** ONNX Runtime's name for this OS and CPU in its jar, or {@code null} where it has none. */
    private static String nativePlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") ? "aarch64" : null;
        String system = os.contains("linux") ? "linux" : os.contains("mac") ? "osx" : os.contains("windows") ? "win" : null;
        return cpu == null || system == null ? null : system + "-" + cpu;
    }
}
