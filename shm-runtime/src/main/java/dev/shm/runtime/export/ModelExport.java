package dev.shm.runtime.export;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.data.DatasetLists;
import dev.shm.runtime.engine.Dl4jPredictor;
import dev.shm.runtime.matte.OnnxRuntimePredictor;
import dev.shm.runtime.engine.Parity;
import dev.shm.runtime.matte.Preprocessing;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.io.Executables;
import dev.shm.runtime.io.Stamps;
import dev.shm.runtime.model.onnx.OnnxExporter;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code export}: the trained end-to-end network to ONNX for Ascend (docs/MODEL.md §5), gated by parity with the DL4J
 * network in ONNX Runtime and by ATC's constraints; then ATC's {@code .om} when {@code atc} is there, or the exact
 * command in a script beside the ONNX file when it is not.
 */
public final class ModelExport {
    /** Where ATC's output goes, beside the model. */
    public static final String ATC_LOG = "atc.log";
    /** The stamp beside the model that records what the last export was made from. */
    public static final String STAMP = ".shm-export.sha256";
    private static final Duration ATC_TIMEOUT = Duration.ofMinutes(30);
    private final Progress progress;

    public ModelExport(Progress progress) {
        this.progress = progress;
    }

    /** What to export and how. {@code atc} is the ATC executable, or {@code null} to look it up on the PATH. */
    public record Options(Path checkpoint, Path outputDir, String fileName, String fileFormat, int size, int opset,
            int cannMajor, String socVersion, double parityTolerance, Path testList, Path atc) {
        public Outputs outputs() {
            return Outputs.of(outputDir, fileName);
        }

        /** Everything that decides what an export writes. */
        String settings() {
            return "export " + fileName + " " + fileFormat + " " + size + " " + opset + " " + cannMajor + " "
                    + socVersion + " " + parityTolerance + " " + atc;
        }
    }

    /** The files an export writes for one name: the ONNX model, ATC's .om, and the ATC script. */
    public record Outputs(Path onnx, Path om, Path atcScript) {
        public static Outputs of(Path dir, String fileName) {
            return new Outputs(dir.resolve(fileName + ".onnx"), dir.resolve(fileName + ".om"),
                    dir.resolve(fileName + "_atc.sh"));
        }

        /** The outputs whose ONNX model is {@code onnx}. */
        public static Outputs beside(Path onnx) {
            return of(onnx.toAbsolutePath().getParent(), onnx.getFileName().toString().replaceFirst("\\.onnx$", ""));
        }
    }

    /**
     * What the export holds: the ONNX file, the .om (or null), the ATC script (or null), the parity measured, and
     * whether an earlier export was up to date, so nothing was written (its parity is not known here: NaN).
     */
    public record Result(Path onnx, Path om, Path atcScript, double parityDifference, boolean upToDate) {
        /** What an earlier run with these options wrote. */
        static Result written(Outputs outputs) {
            return new Result(outputs.onnx(), Files.isRegularFile(outputs.om()) ? outputs.om() : null,
                    Files.isRegularFile(outputs.atcScript()) ? outputs.atcScript() : null, Double.NaN, true);
        }
    }

    /**
     * Exports unless an earlier export with the same options and checkpoint is still there ({@code force} exports
     * anyway); the stamp that records it lies beside the model.
     */
    public Result run(Options options, boolean force) {
        Path stamp = options.outputDir().resolve(STAMP);
        String fingerprint = Stamps.fingerprint(options.settings(), options.checkpoint());
        Outputs outputs = options.outputs();
        if (!force && Stamps.upToDate(stamp, fingerprint, outputs.onnx())) {
            progress.info(outputs.onnx() + " is up to date with " + options.checkpoint() + ", skipping (force "
                    + "to export again)");
            return Result.written(outputs);
        }
        Result result = run(options);
        Stamps.record(stamp, fingerprint);
        return result;
    }

    public Result run(Options options) {
        if (!options.fileFormat().equalsIgnoreCase("ONNX")) {
            throw new ShmException("export.file_format '" + options.fileFormat() + "' cannot be written: shm exports "
                    + "ONNX, which Ascend's ATC converts to an offline .om model (MINDIR and AIR need MindSpore); set "
                    + "export.file_format: ONNX");
        }
        if (options.size() % 16 != 0) {
            throw new ShmException("infer.size " + options.size() + " is not a multiple of 16");
        }
        Outputs outputs = options.outputs();
        Dl4jPredictor dl4j = Dl4jPredictor.load(options.checkpoint());
        byte[] model = OnnxExporter.export(dl4j.graph(), 1, options.size(), options.opset(), dl4j.normalisation());
        double difference;
        try (OnnxRuntimePredictor onnx = OnnxRuntimePredictor.open(model, outputs.onnx().getFileName().toString())) {
            difference = parity(dl4j, onnx, options);
        }
        progress.info(String.format(Locale.ROOT, "Parity: largest alpha difference between ONNX Runtime and DL4J %.3e "
                + "(tolerance %.0e)", difference, options.parityTolerance()));
        if (!(difference <= options.parityTolerance())) {
            throw new ShmException(String.format(Locale.ROOT, "Export parity failed: ONNX Runtime and DL4J differ by %.3e "
                    + "on alpha, more than the tolerance %.1e; the ONNX model was not written", difference,
                    options.parityTolerance()));
        }
        List<String> violations = AtcPreflight.violations(model, options.cannMajor());
        if (!violations.isEmpty()) {
            throw new ShmException("The ONNX model breaks ATC's constraints for CANN " + options.cannMajor() + ": "
                    + String.join("; ", violations));
        }
        Path onnxFile = outputs.onnx();
        AtomicFiles.write(onnxFile, model);
        progress.info("Wrote " + onnxFile + " (opset " + options.opset() + ", input " + OnnxExporter.INPUT + " 1x3x"
                + options.size() + "x" + options.size() + ", outputs " + OnnxExporter.TRIMAP_OUTPUT + " and "
                + OnnxExporter.ALPHA_OUTPUT + ")");
        Path atc = options.atc() != null ? options.atc() : Executables.findOnPath("atc");
        if (atc == null) {
            Path script = outputs.atcScript();
            AtomicFiles.writeString(script, "#!/bin/sh\n# Converts the exported ONNX model to an Ascend offline model; run "
                    + "where CANN's atc is installed.\nset -e\ncd \"$(dirname \"$0\")\"\n" + shell(atcCommand("atc",
                            onnxFile.getFileName(), options)) + "\n");
            script.toFile().setExecutable(true);
            progress.info("ATC (atc) was not found on the PATH: no .om written; " + script + " holds the command");
            return new Result(onnxFile, null, script, difference, false);
        }
        Path om = runAtc(atcCommand(atc.toString(), onnxFile, options), options.outputDir(), outputs.om(),
                ATC_TIMEOUT);
        return new Result(onnxFile, om, null, difference, false);
    }

    static List<String> atcCommand(String atc, Path onnx, Options options) {
        String output = onnx.toString().replaceFirst("\\.onnx$", "");
        return List.of(atc, "--model=" + onnx, "--framework=5", "--output=" + output,
                "--soc_version=" + options.socVersion(),
                "--input_shape=" + OnnxExporter.INPUT + ":1,3," + options.size() + "," + options.size());
    }

    /**
     * Runs ATC with its output going to {@code atc.log} beside the model (read only after it ends, so a hung ATC is
     * stopped after {@code timeout} instead of holding the build forever).
     */
    Path runAtc(List<String> command, Path outputDir, Path om, Duration timeout) {
        progress.info("Running " + shell(command));
        Path log = outputDir.resolve(ATC_LOG);
        try {
            Process process = new ProcessBuilder(command).directory(outputDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                List<ProcessHandle> children = process.descendants().toList();
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                throw new ShmException("ATC did not finish within " + describe(timeout) + " and was stopped: "
                        + shell(command) + " (its output: " + log + ")");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || !Files.isRegularFile(om)) {
                throw new ShmException("ATC failed (exit " + process.exitValue() + ", " + om + (Files.isRegularFile(om)
                        ? " written" : " not written") + "): " + shell(command) + "\n" + output.strip());
            }
            progress.info("ATC wrote " + om);
            return om;
        } catch (IOException e) {
            throw new ShmException("Cannot run ATC (" + command.get(0) + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShmException("Interrupted while ATC ran", e);
        }
    }

    private static String describe(Duration timeout) {
        return timeout.toMinutes() > 0 ? timeout.toMinutes() + " minutes" : timeout.toSeconds() + " s";
    }

    /** The largest alpha difference on the first test images when there are any, and on seeded noise otherwise. */
    private static double parity(Dl4jPredictor dl4j, OnnxRuntimePredictor onnx, Options options) {
        int size = options.size();
        List<float[]> inputs = new ArrayList<>();
        if (options.testList() != null && Files.isRegularFile(options.testList())) {
            for (DatasetLists.Entry entry : DatasetLists.read(options.testList())) {
                if (inputs.size() == 3) {
                    break;
                }
                float[] input = Preprocessing.networkInput(entry.image(), size, dl4j.normalisation());
                if (input != null) {
                    inputs.add(input);
                }
            }
        }
        Random random = new Random(9527);
        while (inputs.size() < 3) {
            float[] noise = new float[3 * size * size];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) random.nextGaussian();
            }
            inputs.add(noise);
        }
        return Parity.largestAlphaDifference(dl4j, onnx, inputs, size);
    }

    static String shell(List<String> command) {
        StringBuilder text = new StringBuilder();
        for (String part : command) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(part.matches("[A-Za-z0-9_./=:,+-]+") ? part : "'" + part.replace("'", "'\\''") + "'");
        }
        return text.toString();
    }
}
