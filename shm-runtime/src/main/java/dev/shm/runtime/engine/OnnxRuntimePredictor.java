package dev.shm.runtime.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.io.NativeCache;
import dev.shm.runtime.model.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An exported shm ONNX model run by ONNX Runtime on the CPU: the fast inference path. */
public final class OnnxRuntimePredictor implements MattePredictor {
    private static final String NATIVE_PATH = "onnxruntime.native.path";
    /** Set to the class loader that pointed {@value #NATIVE_PATH} at the cache, for any later one to see. */
    private static final String NATIVE_PATH_OWNER = "shm.onnxruntime.nativePathOwner";

    static {
        useCachedNatives();
    }

    private final OrtSession session;
    private final MeanStd normalisation;
    private final long batch;
    private final String description;

    private OnnxRuntimePredictor(OrtSession session, MeanStd normalisation, long batch, String description) {
        this.session = session;
        this.normalisation = normalisation;
        this.batch = batch;
        this.description = description;
    }

    /** Opens an exported model file. */
    public static OnnxRuntimePredictor open(Path model) {
        try {
            return open(Files.readAllBytes(model), model.toString());
        } catch (IOException e) {
            throw new ShmException("Cannot read the model " + model + ": " + e.getMessage(), e);
        }
    }

    /** The network of a checkpoint loaded in DL4J, exported in memory at {@code size} and opened in ONNX Runtime. */
    static OnnxRuntimePredictor exportedFrom(Dl4jPredictor dl4j, Path checkpoint, int size) {
        return open(OnnxExporter.export(dl4j.graph(), 1, size, 11, dl4j.normalisation()),
                checkpoint + " (exported in memory)");
    }

    /** Opens an exported model (file bytes); {@code description} names it in logs and reports. */
    public static OnnxRuntimePredictor open(byte[] model, String description) {
        try {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            OrtSession session = environment.createSession(model, options);
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            if (!metadata.containsKey(OnnxExporter.MEAN_KEY) || !metadata.containsKey(OnnxExporter.STD_KEY)) {
                session.close();
                throw new ShmException("The ONNX model " + description + " carries no normalisation ("
                        + OnnxExporter.MEAN_KEY + "); export it with shm:export");
            }
            long[] shape = ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(OnnxExporter.INPUT).getInfo()).getShape();
            MeanStd stats = new MeanStd(0, parse(metadata.get(OnnxExporter.MEAN_KEY)), parse(metadata.get(OnnxExporter.STD_KEY)),
                    null, null);
            return new OnnxRuntimePredictor(session, stats, shape[0], "ONNX Runtime " + description);
        } catch (OrtException e) {
            throw new ShmException("ONNX Runtime cannot load " + description + ": " + e.getMessage(), e);
        }
    }

    public int inputSize() {
        try {
            long[] shape = ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(OnnxExporter.INPUT).getInfo()).getShape();
            return (int) shape[2];
        } catch (OrtException e) {
            throw new ShmException(e.getMessage(), e);
        }
    }

    /** Both outputs for one full batch: [trimap logits, alpha], each flat NCHW. */
    public float[][] run(float[] images, int size) {
        try (OnnxTensor input = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(images),
                new long[] {batch, 3, size, size});
                OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
            FloatBuffer logits = ((OnnxTensor) result.get(OnnxExporter.TRIMAP_OUTPUT).get()).getFloatBuffer();
            FloatBuffer alpha = ((OnnxTensor) result.get(OnnxExporter.ALPHA_OUTPUT).get()).getFloatBuffer();
            float[][] out = {new float[logits.remaining()], new float[alpha.remaining()]};
            logits.get(out[0]);
            alpha.get(out[1]);
            return out;
        } catch (OrtException e) {
            throw new ShmException("ONNX Runtime failed on " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public float[][] predict(float[][] images, int size) {
        int each = 3 * size * size;
        float[][] out = new float[images.length][];
        for (int from = 0; from < images.length; from += (int) batch) {
            float[] chunk = new float[(int) batch * each];
            int count = (int) Math.min(batch, images.length - from);
            for (int i = 0; i < count; i++) {
                System.arraycopy(images[from + i], 0, chunk, i * each, each);
            }
            float[] alpha = run(chunk, size)[1];
            for (int i = 0; i < count; i++) {
                out[from + i] = java.util.Arrays.copyOfRange(alpha, i * size * size, (i + 1) * size * size);
            }
        }
        return out;
    }

    @Override
    public MeanStd normalisation() {
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

    private static double[] parse(String text) {
        String[] parts = text.split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Double.parseDouble(parts[i].trim());
        }
        return values;
    }
}
