package dev.shm.runtime.infer;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.matte.OnnxRuntimePredictor;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.io.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What runs the model on the {@code .bin} inputs: Huawei's {@code msame} or {@code ais_bench} on the {@code .om}
 * (their real command lines; msame names outputs {@code <stem>_output_<i>.bin}, ais_bench {@code <stem>_<i>.bin}),
 * or ONNX Runtime on the ONNX file, the default where no Ascend toolchain is installed.
 */
public final class InferenceExecutors {
    /** The executor to use; {@code AUTO} prefers msame, then ais_bench, when an .om exists. */
    public enum Kind {
        AUTO,
        ONNXRUNTIME,
        MSAME,
        AIS_BENCH;

        public static Kind parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
                case "auto" -> AUTO;
                case "onnxruntime", "onnx", "ort" -> ONNXRUNTIME;
                case "msame" -> MSAME;
                case "ais_bench", "aisbench" -> AIS_BENCH;
                default -> throw new ShmException("shm.executor must be auto, onnxruntime, msame or ais_bench, got '"
                        + text + "'");
            };
        }
    }

    /** Runs the model on the pending inputs; returns the total inference time in milliseconds. */
    interface Executor {
        String name();

        double run(Path inputs, List<String> stems, Path outputs);
    }

    private static final Pattern OUTPUT = Pattern.compile("(.+?)(?:_output)?_([01])\\.bin");

    private InferenceExecutors() {
    }

    static Executor choose(AscendInference.Options options, byte[] model, dev.shm.runtime.progress.Progress progress) {
        Kind kind = options.executor();
        boolean om = options.om() != null && Files.isRegularFile(options.om());
        if (kind == Kind.AUTO) {
            if (om && Executables.findOnPath("msame") != null) {
                kind = Kind.MSAME;
            } else if (om && aisBenchInstalled()) {
                kind = Kind.AIS_BENCH;
            } else {
                progress.info("No Ascend toolchain (msame or ais_bench with an .om model) found: running "
                        + options.onnx().getFileName() + " in ONNX Runtime on the CPU");
                kind = Kind.ONNXRUNTIME;
            }
        }
        if (kind == Kind.ONNXRUNTIME) {
            return new OnnxRuntimeExecutor(model, options.onnx().toString(), options.size());
        }
        if (!om) {
            throw new ShmException("The " + kind.name().toLowerCase(Locale.ROOT) + " executor needs the offline model "
                    + (options.om() == null ? "(.om)" : options.om()) + ", which does not exist; convert the ONNX model "
                    + "with ATC (shm:export with atc installed)");
        }
        List<String> command = options.executorCommand();
        if (command == null || command.isEmpty()) {
            command = kind == Kind.MSAME ? List.of("msame") : List.of("python3", "-m", "ais_bench");
        }
        return new CommandExecutor(kind, command, options.om(), options.workDir());
    }

    /** ONNX Runtime on the exported ONNX model, one input at a time, timed per image. */
    static final class OnnxRuntimeExecutor implements Executor {
        private final byte[] model;
        private final String description;
        private final int size;

        OnnxRuntimeExecutor(byte[] model, String description, int size) {
            this.model = model;
            this.description = description;
            this.size = size;
        }

        @Override
        public String name() {
            return "onnxruntime (CPU)";
        }

        @Override
        public double run(Path inputs, List<String> stems, Path outputs) {
            long expected = 3L * size * size * 4;
            double total = 0;
            try (OnnxRuntimePredictor onnx = OnnxRuntimePredictor.open(model, description)) {
                for (String stem : stems) {
                    Path bin = inputs.resolve(stem + ".bin");
                    if (AscendInference.size(bin) != expected) {
                        throw new ShmException("The input " + bin + " is " + AscendInference.size(bin) + " bytes; expected "
                                + expected + " bytes (1x3x" + size + "x" + size + " float32)");
                    }
                    float[] input = AscendInference.readFloats(bin);
                    long start = System.nanoTime();
                    float[][] out = onnx.run(input, size);
                    total += (System.nanoTime() - start) / 1e6;
                    AtomicFiles.write(outputs.resolve(stem + "_0.bin"), AscendInference.floats(out[0]));
                    AtomicFiles.write(outputs.resolve(stem + "_1.bin"), AscendInference.floats(out[1]));
                }
            }
            return total;
        }
    }

    /** msame or ais_bench: one process over a folder holding the pending inputs. */
    static final class CommandExecutor implements Executor {
        private final Kind kind;
        private final List<String> command;
        private final Path om;
        private final Path workDir;

        CommandExecutor(Kind kind, List<String> command, Path om, Path workDir) {
            this.kind = kind;
            this.command = command;
            this.om = om;
            this.workDir = workDir;
        }

        @Override
        public String name() {
            return kind.name().toLowerCase(Locale.ROOT) + " (" + om.getFileName() + ")";
        }

        @Override
        public double run(Path inputs, List<String> stems, Path outputs) {
            if (stems.isEmpty()) {
                return 0;
            }
            Path pending = workDir.resolve("pending_inputs");
            Path raw = workDir.resolve("executor_output");
            Path log = workDir.resolve(kind.name().toLowerCase(Locale.ROOT) + ".log");
            AtomicFiles.deleteRecursively(pending);
            AtomicFiles.deleteRecursively(raw);
            try {
                Files.createDirectories(pending);
                Files.createDirectories(raw);
                Files.createDirectories(outputs);
                for (String stem : stems) {
                    Files.createSymbolicLink(pending.resolve(stem + ".bin"), inputs.resolve(stem + ".bin").toAbsolutePath());
                }
                List<String> full = new ArrayList<>(command);
                full.addAll(List.of("--model", om.toString(), "--input", pending.toString(), "--output", raw.toString(),
                        "--outfmt", "BIN"));
                long start = System.nanoTime();
                Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!process.waitFor(6, TimeUnit.HOURS)) {
                    process.destroyForcibly();
                    throw new ShmException(name() + " did not finish");
                }
                double millis = (System.nanoTime() - start) / 1e6;
                collect(raw, outputs);
                for (String stem : stems) {
                    if (!Files.isRegularFile(outputs.resolve(stem + "_0.bin")) || !Files.isRegularFile(outputs.resolve(stem + "_1.bin"))) {
                        throw new ShmException(name() + " (exit " + process.exitValue() + ") wrote no outputs for " + stem
                                + "; see " + log + ". Run again to resume with the images it did finish");
                    }
                }
                return millis;
            } catch (IOException e) {
                throw new ShmException("Cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShmException("Interrupted while " + name() + " ran", e);
            } finally {
                AtomicFiles.deleteRecursively(pending);
            }
        }

        /** Moves {@code <stem>_output_<i>.bin} (msame) or {@code <stem>_<i>.bin} (ais_bench) to {@code <stem>_<i>.bin}. */
        private static void collect(Path raw, Path outputs) throws IOException {
            try (Stream<Path> files = Files.walk(raw)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Matcher m = OUTPUT.matcher(file.getFileName().toString());
                    if (m.matches()) {
                        Files.move(file, outputs.resolve(m.group(1) + "_" + m.group(2) + ".bin"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static boolean aisBenchInstalled() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "import ais_bench").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
