package dev.shm.bench;

import dev.shm.runtime.model.ActivationWorkspace;
import dev.shm.runtime.model.Networks;
import java.io.IOException;
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
 * Training throughput per phase, forward latency at 320x320 batch 1 and peak resident memory for each native
 * configuration ({@link Variants}), each in a child JVM of its own with the JVM's default limits, as Maven runs
 * {@code shm:train}. Options as system properties: {@code variants} (default "default,shipped"), {@code sizes}
 * (320), {@code batch} (8), {@code steps} (2), {@code phases} (t_net,m_net,end_to_end), {@code workspace}
 * ({@code prepared}, as shm:train lays out the activations' workspace before the first step, or {@code learned},
 * as DL4J learns its size in it).
 */
public final class TrainBench {
    private TrainBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child();
            return;
        }
        System.out.printf(Locale.ROOT, "training benchmark: batch %s, %s timed steps after one warm-up, sizes %s%n",
                System.getProperty("batch", "8"), System.getProperty("steps", "2"), System.getProperty("sizes", "320"));
        System.out.println("| variant | measure | size | figure | per step |");
        System.out.println("|---|---|---|---|---|");
        Variants.run(System.getProperty("variants", "default,shipped"), TrainBench.class,
                List.of("batch", "steps", "sizes", "phases", "workspace"));
    }

    private static void child() throws IOException {
        int batch = Integer.getInteger("batch", 8);
        int steps = Integer.getInteger("steps", 2);
        List<String> phases = List.of(System.getProperty("phases", "t_net,m_net,end_to_end").split(","));
        boolean prepared = !System.getProperty("workspace", "prepared").equals("learned");
        for (String sizeText : System.getProperty("sizes", "320").split(",")) {
            int size = Integer.parseInt(sizeText.trim());
            for (Networks.Kind kind : Networks.Kind.values()) {
                if (!phases.contains(kind.name().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                ComputationGraph graph = Networks.build(kind, size, 1, 1e-4);
                MultiDataSet data = batch(kind, batch, size);
                if (prepared) {
                    new ActivationWorkspace(graph).prepare(data);
                }
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
        System.out.printf(Locale.ROOT, "| VARIANT | peak resident memory | | %s | |%n", PeakMemory.describe());
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
}
