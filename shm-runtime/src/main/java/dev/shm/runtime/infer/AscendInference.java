package dev.shm.runtime.infer;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.data.DatasetLists;
import dev.shm.runtime.matte.Normalisation;
import dev.shm.runtime.matte.OnnxRuntimePredictor;
import dev.shm.runtime.matte.Preprocessing;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import dev.shm.runtime.image.Resize.Interpolation;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.io.Stamps;
import dev.shm.runtime.metrics.MattingMetrics;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code infer-ascend}: the seed's Ascend 310 inference path (docs/MODEL.md §5). Preprocess writes each test image as a
 * raw little-endian float32 NCHW {@code .bin} ({@code matting_<index>_<name>.bin}) with copies of the image and its
 * label; an executor turns each input into {@code <stem>_0.bin} (trimap logits) and {@code <stem>_1.bin} (alpha);
 * postprocess scores each alpha at the original size, writes {@code acc.log} with the seed's summary line and
 * {@code time_Result/test_perform_static.txt}. Finished inputs and outputs are kept, so a run that stopped midway
 * resumes without redoing them.
 */
public final class AscendInference {
    public static final String INPUTS = "preprocess_Result/img_data";
    public static final String IMAGES = "preprocess_Result/images";
    public static final String LABELS = "preprocess_Result/labels";
    public static final String OUTPUTS = "result_Files";
    public static final String TIMING = "time_Result/test_perform_static.txt";
    public static final String SUMMARY = "acc.log";
    /** The fingerprint of the model, .om and test list that the work folder's inputs and outputs come from. */
    static final String STAMP = ".shm-infer.sha256";

    private final Progress progress;

    public AscendInference(Progress progress) {
        this.progress = progress;
    }

    /** What to run: the exported ONNX model (and its .om), the test list, the executor and where to work. */
    public record Options(Path onnx, Path om, Path testList, int size, Path workDir, InferenceExecutors.Kind executor,
            List<String> executorCommand) {
    }

    /** The seed's figures: images, total and mean SAD, mean inference time, and which executor ran. */
    public record Result(int images, double totalSad, double averageSad, double averageMillis, String executor) {
    }

    public Result run(Options options) {
        if (!Files.isRegularFile(options.onnx())) {
            throw new ShmException("The exported model " + options.onnx() + " does not exist; run shm:export first");
        }
        List<DatasetLists.Entry> entries = DatasetLists.read(options.testList());
        if (entries.isEmpty()) {
            throw new ShmException("The test list " + options.testList() + " lists no image");
        }
        byte[] model = read(options.onnx());
        Normalisation stats;
        int modelSize;
        try (OnnxRuntimePredictor probe = OnnxRuntimePredictor.open(model, options.onnx().toString())) {
            stats = probe.normalisation();
            modelSize = probe.inputSize();
        }
        if (modelSize != options.size()) {
            throw new ShmException("The exported model " + options.onnx() + " takes " + modelSize + "x" + modelSize
                    + " inputs but infer.size is " + options.size() + "; export again or set infer.size: " + modelSize);
        }
        forgetFilesOfAnotherModel(options);
        List<String> stems = preprocess(entries, options, stats);
        InferenceExecutors.Executor executor = InferenceExecutors.choose(options, model, progress);
        Path outputs = options.workDir().resolve(OUTPUTS);
        List<String> pending = new ArrayList<>();
        for (String stem : stems) {
            if (!Files.isRegularFile(outputs.resolve(stem + "_0.bin")) || !Files.isRegularFile(outputs.resolve(stem + "_1.bin"))) {
                pending.add(stem);
            }
        }
        if (pending.size() < stems.size()) {
            progress.info("Resuming: " + (stems.size() - pending.size()) + " of " + stems.size()
                    + " images already have outputs in " + outputs);
        }
        double millis = executor.run(options.workDir().resolve(INPUTS), pending, outputs);
        Timing.record(options.workDir().resolve(TIMING), millis, pending.size());
        return postprocess(entries, stems, options, executor.name());
    }

    /**
     * Inputs and outputs left in the work folder are resumed only when the same model, .om and test list made them:
     * otherwise they are removed before anything runs, and the stamp names what fills the folder from now on.
     */
    private void forgetFilesOfAnotherModel(Options options) {
        Path stamp = options.workDir().resolve(STAMP);
        String fingerprint = Stamps.fingerprint("infer-ascend " + options.size(), options.onnx(), options.om(),
                options.testList());
        if (Stamps.upToDate(stamp, fingerprint)) {
            return;
        }
        Path inputs = options.workDir().resolve(INPUTS);
        Path outputs = options.workDir().resolve(OUTPUTS);
        if (Files.exists(inputs) || Files.exists(outputs)) {
            progress.info("The model or the test list changed since " + options.workDir()
                    + " was filled: preparing and running every image again");
            AtomicFiles.deleteRecursively(inputs);
            AtomicFiles.deleteRecursively(outputs);
        }
        Stamps.record(stamp, fingerprint);
    }

    private List<String> preprocess(List<DatasetLists.Entry> entries, Options options, Normalisation stats) {
        Path inputs = options.workDir().resolve(INPUTS);
        long expected = 3L * options.size() * options.size() * 4;
        List<String> stems = new ArrayList<>();
        Progress.Task task = progress.task("preprocess", entries.size(), "images");
        for (int i = 0; i < entries.size(); i++) {
            DatasetLists.Entry entry = entries.get(i);
            String name = entry.image().getFileName().toString();
            String stem = String.format(Locale.ROOT, "matting_%04d_%s", i, name.replaceFirst("\\.[^.]+$", ""));
            stems.add(stem);
            Path bin = inputs.resolve(stem + ".bin");
            if (Files.isRegularFile(bin) && size(bin) == expected) {
                task.advance(1);
                continue;
            }
            Raster image = Codecs.decodeRgb(read(entry.image()));
            if (image == null) {
                throw new ShmException("Cannot decode the test image " + entry.image());
            }
            float[] input = Preprocessing.networkInput(image, options.size(), stats);
            AtomicFiles.write(bin, floats(input));
            AtomicFiles.copy(entry.image(), options.workDir().resolve(IMAGES).resolve(name));
            AtomicFiles.copy(entry.matte(), options.workDir().resolve(LABELS).resolve(stem + "_" + entry.matte().getFileName()));
            task.advance(1);
        }
        task.finish();
        return stems;
    }

    private Result postprocess(List<DatasetLists.Entry> entries, List<String> stems, Options options, String executor) {
        Path outputs = options.workDir().resolve(OUTPUTS);
        long expected = (long) options.size() * options.size() * 4;
        double total = 0;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Path alphaFile = outputs.resolve(stems.get(i) + "_1.bin");
            Path logitsFile = outputs.resolve(stems.get(i) + "_0.bin");
            if (!Files.isRegularFile(alphaFile) || size(alphaFile) != expected) {
                throw new ShmException("The output " + alphaFile + " is " + (Files.isRegularFile(alphaFile)
                        ? size(alphaFile) + " bytes" : "missing") + "; expected " + expected + " bytes (1x1x"
                        + options.size() + "x" + options.size() + " float32)");
            }
            if (size(logitsFile) != 3 * expected) {
                throw new ShmException("The output " + logitsFile + " is " + size(logitsFile) + " bytes; expected "
                        + 3 * expected + " bytes (1x3x" + options.size() + "x" + options.size() + " float32)");
            }
            Matte truth = Codecs.decodeMatte(read(entries.get(i).matte()));
            if (truth == null) {
                throw new ShmException("Cannot decode the label " + entries.get(i).matte());
            }
            float[] raw = Matte.clampToUnit(readFloats(alphaFile));
            Matte alpha = Resize.to(new Matte(options.size(), options.size(), raw), truth.width(), truth.height(),
                    Interpolation.CUBIC).clamped();
            double sad = MattingMetrics.sad(alpha.values(), truth.values(), null);
            total += sad;
            String line = String.format(Locale.ROOT, "%s sad: %.6f", entries.get(i).image(), sad);
            lines.add(line);
            progress.info(line);
        }
        double average = total / entries.size();
        String summary = String.format(Locale.ROOT, "Total images: %d, total sad: %.6f, ave sad: %.6f", entries.size(),
                total, average);
        lines.add(summary);
        lines.add("executor: " + executor);
        AtomicFiles.writeString(options.workDir().resolve(SUMMARY), String.join("\n", lines) + "\n");
        progress.info(summary);
        double millis = Timing.average(options.workDir().resolve(TIMING));
        return new Result(entries.size(), total, average, millis, executor);
    }

    static byte[] floats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    static float[] readFloats(Path file) {
        ByteBuffer buffer = ByteBuffer.wrap(read(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(values);
        return values;
    }

    static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ShmException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

}
