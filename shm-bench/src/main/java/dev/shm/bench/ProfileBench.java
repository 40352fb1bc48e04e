package dev.shm.bench;

import dev.shm.runtime.model.Backend;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.TransientConvolution;
import dev.shm.runtime.model.TransientDepthwiseConvolution;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a training step's time goes: every vertex of the end-to-end graph run on its own (forward in training
 * mode, then backward with a random upstream gradient) on the activations of one real forward pass (a batch norm
 * after a {@link TransientConvolution} on that convolution's output, as in a real step), best of
 * {@code repeats}, summed by layer type, for each native configuration ({@link Variants}). Options: {@code variants}
 * ("default,shipped"), {@code size} (320), {@code batch} (2), {@code repeats} (2), {@code inference} (forward only,
 * inference mode), {@code vertices} (a row for every vertex too, with its output's size). A vertex reads copies of
 * its inputs, in one C-order run each: where a real step hands it a view (M-Net's last convolution reads a cropped
 * one), its time here leaves out what the layer does with that view.
 */
public final class ProfileBench {
    private ProfileBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child();
            return;
        }
        System.out.println("| variant | layer type | count | forward ms | backward ms | share of the sum |");
        System.out.println("|---|---|---|---|---|---|");
        Variants.run(System.getProperty("variants", "default,shipped"), ProfileBench.class,
                List.of("size", "batch", "repeats", "inference", "vertices"));
    }

    private static void child() {
        int size = Integer.getInteger("size", 320);
        int batch = Integer.getInteger("batch", 2);
        int repeats = Integer.getInteger("repeats", 2);
        boolean training = !Boolean.getBoolean("inference");
        boolean everyVertex = Boolean.getBoolean("vertices");
        ComputationGraph graph = Networks.build(Networks.Kind.END_TO_END, size, 1, 1e-4);
        MultiDataSet data = TrainBench.batch(Networks.Kind.END_TO_END, batch, size);
        Runnable wholePass = training ? () -> graph.fit(data) : () -> graph.output(false, data.getFeatures());
        wholePass.run();
        long start = System.nanoTime();
        wholePass.run();
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, INDArray> activations = graph.feedForward(data.getFeatures(), training, false);
        Map<String, INDArray> labels = new HashMap<>();
        labels.put(Networks.TRIMAP_OUTPUT, data.getLabels(0));
        labels.put(Networks.MATTE_OUTPUT, data.getLabels(1));
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        Map<String, double[]> byType = new TreeMap<>();
        GraphVertex[] vertices = graph.getVertices();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[index];
            if (vertex.isInputVertex()) {
                continue;
            }
            VertexIndices[] inputs = vertex.getInputVertices();
            double forward = Double.MAX_VALUE;
            double backward = Double.MAX_VALUE;
            long outputBytes = 0;
            for (int r = 0; r < repeats; r++) {
                for (int i = 0; i < inputs.length; i++) {
                    GraphVertex from = vertices[inputs[i].getVertexIndex()];
                    vertex.setInput(i, training && handsOver(from) ? from.doForward(true, workspaces)
                            : activations.get(from.getVertexName()).dup(), workspaces);
                }
                if (vertex.hasLayer() && vertex.getLayer() instanceof IOutputLayer output) {
                    output.setLabels(labels.get(vertex.getVertexName()));
                }
                long t0 = System.nanoTime();
                INDArray out = vertex.doForward(training, workspaces);
                long t1 = System.nanoTime();
                forward = Math.min(forward, (t1 - t0) / 1e6);
                outputBytes = out.length() * out.dataType().width();
                if (!training) {
                    backward = 0;
                    continue;
                }
                if (!(vertex.hasLayer() && vertex.getLayer() instanceof IOutputLayer)) {
                    vertex.setEpsilon(Nd4j.rand(DataType.FLOAT, out.shape()));
                }
                long t2 = System.nanoTime();
                vertex.doBackward(false, workspaces);
                long t3 = System.nanoTime();
                backward = Math.min(backward, (t3 - t2) / 1e6);
            }
            // arrays made outside workspaces hold native memory until the JVM collects them
            System.gc();
            double[] sums = byType.computeIfAbsent(type(vertex), k -> new double[3]);
            sums[0] += forward;
            sums[1] += backward;
            sums[2]++;
            if (everyVertex) {
                System.out.printf(Locale.ROOT, "| VARIANT | vertex %s | %s, %.1f MB out | %.1f | %.1f | |%n",
                        vertex.getVertexName(), type(vertex), outputBytes / 1e6, forward, backward);
            }
        }
        double forwardTotal = byType.values().stream().mapToDouble(s -> s[0]).sum();
        double backwardTotal = byType.values().stream().mapToDouble(s -> s[1]).sum();
        System.out.printf(Locale.ROOT, "| VARIANT | whole %s, end_to_end %d² batch %d | | %.2f s | | "
                + "vertices on their own: %.2f s |%n", training ? "training step" : "forward pass", size, batch, seconds,
                (forwardTotal + backwardTotal) / 1000);
        byType.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                .forEach(e -> System.out.printf(Locale.ROOT, "| VARIANT | %s | %d | %.0f | %.0f | %.1f%% |%n", e.getKey(),
                        (int) e.getValue()[2], e.getValue()[0], e.getValue()[1],
                        100 * (e.getValue()[0] + e.getValue()[1]) / (forwardTotal + backwardTotal)));
    }

    /**
     * Whether the vertex is a convolution whose training output its batch norm reads from the one-output buffer:
     * the batch norm then gets it as in a real step (and writes it again in its backward pass), not a copy.
     */
    private static boolean handsOver(GraphVertex vertex) {
        return vertex.hasLayer() && !Boolean.getBoolean(Backend.HELPERS_DISABLED)
                && (vertex.getLayer().conf().getLayer() instanceof TransientConvolution
                        || vertex.getLayer().conf().getLayer() instanceof TransientDepthwiseConvolution);
    }

    /**
     * The layer type and kernel size; shm's subclasses of DL4J's concrete layers, which only change the runtime,
     * count as the DL4J layer they extend.
     */
    static String type(GraphVertex vertex) {
        if (!vertex.hasLayer()) {
            return vertex.getClass().getSimpleName().replace("Vertex", "") + " vertex";
        }
        Layer layer = vertex.getLayer();
        var conf = layer.conf().getLayer();
        Class<?> type = conf.getClass();
        if (type.getName().startsWith("dev.shm.") && type.getSuperclass().getName().startsWith("org.deeplearning4j.")
                && !Modifier.isAbstract(type.getSuperclass().getModifiers())) {
            type = type.getSuperclass();
        }
        String name = type.getSimpleName();
        if (conf instanceof ConvolutionLayer convolution) {
            int[] kernel = convolution.getKernelSize();
            name += " " + kernel[0] + "x" + kernel[1];
        }
        return name;
    }
}
