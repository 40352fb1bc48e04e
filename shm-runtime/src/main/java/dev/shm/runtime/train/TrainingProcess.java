package dev.shm.runtime.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.Phase;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.model.Backend;
import dev.shm.runtime.progress.json.JsonLinesSink;
import dev.shm.runtime.progress.Progress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Training in a JVM of its own, started with glibc's allocator set as {@link Allocator} says. oneDNN's
 * convolutions allocate and free blocks of hundreds of megabytes on every call; by default glibc maps and unmaps
 * each of them, and the kernel then spends about a third of a training step clearing fresh pages. OpenMP's idle
 * threads sleep at once ({@link #THREADS}) instead of spinning on a core that shm's Java kernels need between
 * ND4J's operations. Variables the environment already sets are left as they are. The child reports its progress
 * events, its results and its failure as lines on standard output, which the parent passes on.
 */
public final class TrainingProcess {
    /** glibc's allocator settings for the child. */
    public enum Allocator {
        /** Keep freed memory for the next allocation: one arena, no mapping per large block, no trimming. */
        KEEP(Map.of("MALLOC_ARENA_MAX", "1", "MALLOC_MMAP_MAX_", "0", "MALLOC_TRIM_THRESHOLD_",
                Long.toString(64L << 30))),
        /** Map large blocks as before, in transparent huge pages: far fewer page faults, no memory kept. */
        HUGEPAGES(Map.of("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1")),
        /** glibc's defaults. */
        SYSTEM(Map.of());

        private final Map<String, String> environment;

        Allocator(Map<String, String> environment) {
            this.environment = environment;
        }

        public Map<String, String> environment() {
            return environment;
        }
    }
    /** OpenMP's setting for the child, whatever the allocator. */
    public static final Map<String, String> THREADS = Map.of("OMP_WAIT_POLICY", "PASSIVE");
    static final String EVENT = "@shm-event ";
    static final String RESULT = "@shm-result ";
    static final String ERROR = "@shm-error ";
    /** The line a JVM prints at start when {@link Backend#VECTOR_OPTION} gives it an incubator module. */
    private static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules: ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEPT_OUTPUT_LINES = 20;

    /** What the child needs to load the same configuration and train: {@link ConfigLoader}'s inputs and the request. */
    public record Launch(Path baseDir, Path outputDir, Path configFile, Map<String, String> overrides, Path dataset,
            Path trainUrl, List<Phase> phases, boolean force, Allocator allocator, Parallelism parallelism) {
        Properties toProperties() {
            Properties properties = new Properties();
            properties.setProperty("baseDir", baseDir.toString());
            properties.setProperty("outputDir", outputDir.toString());
            if (configFile != null) {
                properties.setProperty("configFile", configFile.toString());
            }
            properties.setProperty("dataset", dataset.toString());
            properties.setProperty("trainUrl", trainUrl.toString());
            properties.setProperty("phases", phases.stream().map(Phase::key).collect(Collectors.joining(",")));
            properties.setProperty("force", Boolean.toString(force));
            properties.setProperty("allocator", allocator.name());
            overrides.forEach((key, value) -> properties.setProperty("override." + key, value));
            properties.setProperty("workers", Integer.toString(parallelism.workers()));
            properties.setProperty("averagingFrequency", Integer.toString(parallelism.averagingFrequency()));
            if (parallelism.onSpark()) {
                properties.setProperty("sparkMaster", parallelism.sparkMaster());
            }
            parallelism.sparkConf().forEach((key, value) -> properties.setProperty("sparkConf." + key, value));
            return properties;
        }

        static Launch fromProperties(Properties properties) {
            Map<String, String> overrides = prefixed(properties, "override.");
            String configFile = properties.getProperty("configFile");
            String phases = properties.getProperty("phases");
            return new Launch(Path.of(properties.getProperty("baseDir")), Path.of(properties.getProperty("outputDir")),
                    configFile == null ? null : Path.of(configFile), overrides, Path.of(properties.getProperty("dataset")),
                    Path.of(properties.getProperty("trainUrl")), phases.isEmpty() ? List.of() : Arrays.stream(phases.split(",")).map(Phase::parse).toList(),
                    Boolean.parseBoolean(properties.getProperty("force")),
                    Allocator.valueOf(properties.getProperty("allocator")),
                    new Parallelism(Integer.parseInt(properties.getProperty("workers")),
                            Integer.parseInt(properties.getProperty("averagingFrequency")),
                            properties.getProperty("sparkMaster"), prefixed(properties, "sparkConf.")));
        }

        private static Map<String, String> prefixed(Properties properties, String prefix) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String name : properties.stringPropertyNames()) {
                if (name.startsWith(prefix)) {
                    values.put(name.substring(prefix.length()), properties.getProperty(name));
                }
            }
            return values;
        }
    }

    private TrainingProcess() {
    }

    /**
     * Trains in a child JVM on {@code classPath} (shm-runtime and its dependencies), relays its events to
     * {@code progress} and every other line it prints to {@code output}, and returns its results.
     */
    public static List<Trainer.PhaseResult> run(Launch launch, List<Path> classPath, Progress progress,
            Consumer<String> output) {
        Path request = null;
        Process process = null;
        Thread stopChild = null;
        try {
            request = Files.createTempFile("shm-train", ".properties");
            try (Writer writer = Files.newBufferedWriter(request, StandardCharsets.UTF_8)) {
                launch.toProperties().store(writer, "shm:train in a JVM of its own");
            }
            ProcessBuilder builder = new ProcessBuilder(command(classPath, request, launch.parallelism()))
                    .redirectErrorStream(true);
            launch.allocator().environment().forEach(builder.environment()::putIfAbsent);
            THREADS.forEach(builder.environment()::putIfAbsent);
            int threadsPerWorker = launch.parallelism().threadsPerWorker(Runtime.getRuntime().availableProcessors());
            if (threadsPerWorker > 0) {
                builder.environment().putIfAbsent("OMP_NUM_THREADS", Integer.toString(threadsPerWorker));
            }
            process = builder.start();
            Process child = process;
            stopChild = new Thread(child::destroyForcibly, "shm-train-stop");
            Runtime.getRuntime().addShutdownHook(stopChild);
            List<Trainer.PhaseResult> results = new ArrayList<>();
            ShmException error = null;
            Deque<String> lastOutput = new ArrayDeque<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith(EVENT)) {
                        progress.relay(JsonLinesSink.fromJson(JSON.readTree(line.substring(EVENT.length()))));
                    } else if (line.startsWith(RESULT)) {
                        results.add(result(JSON.readTree(line.substring(RESULT.length()))));
                    } else if (line.startsWith(ERROR)) {
                        error = failure(JSON.readTree(line.substring(ERROR.length())));
                    } else if (!line.startsWith(INCUBATOR_NOTICE)) {
                        output.accept(line);
                        lastOutput.addLast(line);
                        if (lastOutput.size() > KEPT_OUTPUT_LINES) {
                            lastOutput.removeFirst();
                        }
                    }
                }
            }
            int exit = child.waitFor();
            if (error != null) {
                throw error;
            }
            if (exit != 0) {
                throw new ShmException("The training process exited with code " + exit + "; its last output:\n"
                        + String.join("\n", lastOutput));
            }
            return results;
        } catch (IOException e) {
            throw new ShmException("Could not run the training process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShmException("Training was interrupted", e);
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            if (stopChild != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopChild);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
            if (request != null) {
                try {
                    Files.deleteIfExists(request);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private static List<String> command(List<Path> classPath, Path request, Parallelism parallelism) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + Runtime.getRuntime().maxMemory());
        command.add(Backend.VECTOR_OPTION);
        command.addAll(parallelism.jvmOptions());
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("org.bytedeco.") || name.startsWith("org.nd4j.")
                    || name.startsWith("org.eclipse.deeplearning4j.")) {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        command.add(TrainingProcess.class.getName());
        command.add(request.toString());
        return command;
    }

    /** The child: trains as {@code args[0]} (a launch's properties) says, reporting on standard output. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            Launch launch = Launch.fromProperties(properties);
            ShmConfig config = new ConfigLoader(launch.baseDir(), launch.outputDir())
                    .load(launch.configFile(), launch.overrides());
            Progress progress = new Progress("train", List.of(event -> report(out, EVENT, JsonLinesSink.toJson(event).toString())));
            for (Trainer.PhaseResult result : new Trainer(progress).run(new Trainer.Request(config, launch.dataset(),
                    launch.trainUrl(), launch.phases(), launch.force(), launch.parallelism()))) {
                report(out, RESULT, json(result));
            }
            out.flush();
            System.exit(0);
        } catch (ShmException e) {
            report(out, ERROR, json(e));
            System.exit(2);
        } catch (Throwable t) {
            t.printStackTrace(out);
            out.flush();
            System.exit(1);
        }
    }

    private static void report(PrintStream out, String kind, String json) {
        synchronized (out) {
            out.println(kind + json);
            out.flush();
        }
    }

    /** A failure as the child reports it: its message and the remedy it names, which the parent spells. */
    static String json(ShmException failure) {
        ObjectNode node = JSON.createObjectNode();
        node.put("message", failure.getMessage());
        if (failure.fix() != null) {
            node.put("fix", failure.fix().name());
        }
        return node.toString();
    }

    static ShmException failure(JsonNode node) {
        return new ShmException(node.get("message").asText(),
                node.hasNonNull("fix") ? ShmException.Fix.valueOf(node.get("fix").asText()) : null);
    }

    static String json(Trainer.PhaseResult result) {
        ObjectNode node = JSON.createObjectNode();
        node.put("phase", result.phase().key());
        node.put("upToDate", result.upToDate());
        node.put("finalCheckpoint", result.finalCheckpoint().toString());
        node.put("bestCheckpoint", result.bestCheckpoint() == null ? null : result.bestCheckpoint().toString());
        node.put("epochs", result.epochs());
        node.put("lastLoss", result.lastLoss());
        node.put("bestSad", result.bestSad());
        node.put("imagesPerSecond", result.imagesPerSecond());
        return node.toString();
    }

    static Trainer.PhaseResult result(JsonNode node) {
        return new Trainer.PhaseResult(Phase.parse(node.get("phase").asText()), node.get("upToDate").asBoolean(),
                Path.of(node.get("finalCheckpoint").asText()),
                node.hasNonNull("bestCheckpoint") ? Path.of(node.get("bestCheckpoint").asText()) : null,
                node.get("epochs").asInt(), number(node.get("lastLoss")), number(node.get("bestSad")),
                number(node.get("imagesPerSecond")));
    }

    /** Jackson writes NaN as the string "NaN" (doubles that are not numbers have no JSON form). */
    private static double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : Double.parseDouble(node.asText());
    }
}
