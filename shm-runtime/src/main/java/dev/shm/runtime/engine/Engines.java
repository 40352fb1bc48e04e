package dev.shm.runtime.engine;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.data.DatasetLists;
import dev.shm.runtime.matte.MattePredictor;
import dev.shm.runtime.matte.Matting;
import dev.shm.runtime.matte.ModelSpec;
import dev.shm.runtime.matte.OnnxRuntimePredictor;
import dev.shm.runtime.matte.Preprocessing;
import dev.shm.runtime.matte.Refinement;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import dev.shm.runtime.model.onnx.OnnxExporter;
import dev.shm.runtime.progress.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses how a model runs. A {@code .onnx} file runs in ONNX Runtime. A checkpoint runs in ONNX Runtime too (about
 * ten times faster than DL4J here) after an in-memory export whose alphas are checked against DL4J on the first test
 * images; {@code dl4j} keeps the DL4J network.
 */
public final class Engines {
    /** The largest alpha difference tolerated between DL4J and ONNX Runtime. */
    public static final double PARITY_TOLERANCE = 1e-4;
    private static final int PARITY_IMAGES = 2;

    /** Which engine runs a checkpoint. */
    public enum Engine {
        AUTO,
        DL4J,
        ONNXRUNTIME
    }

    private Engines() {
    }

    public static Engine parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> Engine.AUTO;
            case "dl4j" -> Engine.DL4J;
            case "onnxruntime", "onnx", "ort" -> Engine.ONNXRUNTIME;
            default -> throw new ShmException("the engine must be auto, dl4j or onnxruntime, got '" + text + "'");
        };
    }

    public static MattePredictor open(Path model, Engine engine, int size, Path testList, Progress progress) {
        if (model.getFileName().toString().endsWith(".onnx")) {
            OnnxRuntimePredictor onnx = OnnxRuntimePredictor.open(model, ModelSpec.FROM_MODEL);
            int inputSize = onnx.inputSize();
            if (inputSize != size) {
                onnx.close();
                throw new ShmException("The ONNX model " + model + " takes " + inputSize + "x" + inputSize
                        + " inputs but test.size is " + size + "; export it at that size or set test.size: "
                        + inputSize);
            }
            return onnx;
        }
        Dl4jPredictor dl4j = Dl4jPredictor.load(model);
        if (engine == Engine.DL4J) {
            return dl4j;
        }
        OnnxRuntimePredictor onnx = exportedFrom(dl4j, model, size, Runtime.getRuntime().availableProcessors());
        double difference = parity(dl4j, onnx, size, testList);
        dl4j.close();
        progress.info(String.format(Locale.ROOT, "Evaluating with ONNX Runtime; largest alpha difference to DL4J on the "
                + "first %d test images: %.2e", PARITY_IMAGES, difference));
        if (difference > PARITY_TOLERANCE) {
            onnx.close();
            throw new ShmException(String.format(Locale.ROOT, "ONNX Runtime and DL4J disagree on %s by %.2e (more than "
                    + "%.0e); evaluate with the dl4j engine", model, difference, PARITY_TOLERANCE), ShmException.Fix.DL4J_ENGINE);
        }
        return onnx;
    }

    /**
     * Many photos to mattes with {@code model}: an ONNX model as {@code spec} describes it, or a checkpoint exported
     * in memory at the size it was trained at, refined by {@code refinement}; both run in ONNX Runtime, one core a
     * photo, for {@link dev.shm.runtime.matte.PhotoMatting} to run one photo a core.
     */
    public static Matting matting(Path model, ModelSpec spec, Refinement refinement) {
        if (model.getFileName().toString().endsWith(".onnx")) {
            return Matting.open(model, spec, 1).refinedBy(refinement);
        }
        int size = Checkpoints.readState(model).patchSize();
        try (Dl4jPredictor dl4j = Dl4jPredictor.load(model)) {
            return new Matting(exportedFrom(dl4j, model, size, 1), size, refinement);
        }
    }

    /**
     * The network of a checkpoint loaded in DL4J, exported in memory at {@code size} and opened in ONNX Runtime with
     * {@code threads} cores a run.
     */
    static OnnxRuntimePredictor exportedFrom(Dl4jPredictor dl4j, Path checkpoint, int size, int threads) {
        return OnnxRuntimePredictor.open(OnnxExporter.export(dl4j.graph(), 1, size, 11, dl4j.normalisation()),
                checkpoint + " (exported in memory)", ModelSpec.FROM_MODEL, threads);
    }

    /** The largest alpha difference of two engines on the first test images. */
    static double parity(MattePredictor a, MattePredictor b, int size, Path testList) {
        List<DatasetLists.Entry> entries = DatasetLists.read(testList);
        List<float[]> inputs = new ArrayList<>();
        for (DatasetLists.Entry entry : entries.subList(0, Math.min(PARITY_IMAGES, entries.size()))) {
            float[] input = Preprocessing.networkInput(entry.image(), size, a.normalisation());
            if (input == null) {
                throw new ShmException("Cannot decode the test image " + entry.image());
            }
            inputs.add(input);
        }
        return Parity.largestAlphaDifference(a, b, inputs, size);
    }
}
