package dev.shm.bench;

import dev.shm.runtime.model.Networks;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Training throughput per phase at two patch sizes, forward latency at 320x320 batch 1 and peak resident memory,
 * for each ND4J native build, each in a child JVM of its own (a JVM loads one native build). Options as system
 * properties: {@code variants} (comma-separated platform extensions, "generic" for none), {@code sizes},
 * {@code batch}, {@code steps}.
 */
public final class TrainBench {
    private static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private TrainBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child();
            return;
        }
        String variants = System.getProperty("variants", "onednn,generic,avx2,avx512,onednn-avx512");
        String classPath = classPath();
        System.out.printf(Locale.ROOT, "training benchmark: batch %s, %s timed steps after one warm-up, sizes %s%n",
                System.getProperty("batch", "2"), System.getProperty("steps", "2"), System.getProperty("sizes", "160,320"));
        for (String variant : variants.split(",")) {
            String extension = variant.equals("generic") ? "" : "-" + variant;
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-D" + EXTENSION + "=" + extension, "-Dbatch=" + System.getProperty("batch", "2"),
                    "-Dsteps=" + System.getProperty("steps", "2"), "-Dsizes=" + System.getProperty("sizes", "160,320"),
                    "-cp", classPath, TrainBench.class.getName(), "child"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("| ")) {
                        System.out.println(line.replace("| VARIANT", "| " + variant));
                        System.out.flush();
                    }
                }
            }
            if (process.waitFor() != 0) {
                System.out.println("| " + variant + " | failed to run (exit " + process.exitValue() + ") |");
            }
        }
    }

    private static String classPath() {
        ClassLoader loader = TrainBench.class.getClassLoader();
        if (loader instanceof URLClassLoader urls) {
            List<String> entries = new ArrayList<>();
            for (URL url : urls.getURLs()) {
                entries.add(new File(url.getPath()).getPath());
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static void child() throws IOException {
        int batch = Integer.getInteger("batch", 2);
        int steps = Integer.getInteger("steps", 2);
        for (String sizeText : System.getProperty("sizes", "160,320").split(",")) {
            int size = Integer.parseInt(sizeText.trim());
            for (Networks.Kind kind : Networks.Kind.values()) {
                ComputationGraph graph = Networks.build(kind, size, 1, 1e-4);
                MultiDataSet data = batch(kind, batch, size);
                graph.fit(data);
                long start = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    graph.fit(data);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "| VARIANT | train %s | %d | %.2f images/s | %.2f s/step |%n",
                        kind.name().toLowerCase(Locale.ROOT), size, batch * steps / seconds, seconds / steps);
                System.out.flush();
            }
        }
        ComputationGraph network = Networks.build(Networks.Kind.END_TO_END, 320, 1, 1e-4);
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 320, 320);
        network.output(false, image);
        double[] times = new double[5];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            network.output(false, image);
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        System.out.printf(Locale.ROOT, "| VARIANT | forward end_to_end | 320 | %.0f ms median of 5 | batch 1 |%n", times[2]);
        System.out.printf(Locale.ROOT, "| VARIANT | peak resident memory | | %s | |%n", peakResident());
    }

    static MultiDataSet batch(Networks.Kind kind, int batch, int size) {
        INDArray image = Nd4j.rand(DataType.FLOAT, batch, 3, size, size);
        INDArray trimap = Nd4j.zeros(DataType.FLOAT, batch, 3, size, size);
        trimap.get(NDArrayIndex.all(), NDArrayIndex.point(1)).assign(1);
        INDArray matte = Nd4j.rand(DataType.FLOAT, batch, 4, size, size);
        return switch (kind) {
            case T_NET -> new MultiDataSet(new INDArray[] {image}, new INDArray[] {trimap});
            case M_NET -> new MultiDataSet(new INDArray[] {image, trimap}, new INDArray[] {matte});
            case END_TO_END -> new MultiDataSet(new INDArray[] {image}, new INDArray[] {trimap, matte});
        };
    }

    private static String peakResident() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format(Locale.ROOT, "%.2f GiB", kb / 1048576.0);
            }
        }
        return "unknown";
    }
}
