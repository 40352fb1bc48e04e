package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

final class Dl4jLayers {
    private Dl4jLayers() {
    }

    /** Runs {@code body} with DL4J's oneDNN layer helpers on or off for the layers it instantiates. */
    static void withHelpers(boolean helpers, Runnable body) {
        String before = System.getProperty(Backend.HELPERS_DISABLED, "false");
        System.setProperty(Backend.HELPERS_DISABLED, String.valueOf(!helpers));
        try {
            body.run();
        } finally {
            System.setProperty(Backend.HELPERS_DISABLED, before);
        }
    }

    /** Runs {@code body} with DL4J's own code in the layers it instantiates and returns what it returns. */
    static <T> T withoutHelpers(java.util.function.Supplier<T> body) {
        return computeWithHelpers(false, body);
    }

    /** Runs {@code body} with DL4J's layer helpers on or off and returns what it returns. */
    static <T> T computeWithHelpers(boolean helpers, java.util.function.Supplier<T> body) {
        Object[] result = new Object[1];
        withHelpers(helpers, () -> result[0] = body.get());
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** The same network and weights with DL4J's own convolution and batch-norm layers. */
    static ComputationGraph copy(ComputationGraph graph) {
        String json = graph.getConfiguration().toJson()
                .replace(TransientConvolution.class.getName(), "org.deeplearning4j.nn.conf.layers.ConvolutionLayer")
                .replace(TransientDepthwiseConvolution.class.getName(),
                        "org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D")
                .replace(DirectConvolution.class.getName(), "org.deeplearning4j.nn.conf.layers.ConvolutionLayer")
                .replace(FixedDepthwiseConvolution.class.getName(),
                        "org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D")
                .replace(RecomputingBatchNorm.class.getName(), "org.deeplearning4j.nn.conf.layers.BatchNormalization");
        ComputationGraph plain = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
        plain.init(graph.params().dup(), true);
        String copied = plain.getConfiguration().toJson();
        for (String ours : new String[] {"Transient", "Fixed", "Direct"}) {
            assertTrue(!copied.contains("dev.shm.runtime.model." + ours), ours);
        }
        return plain;
    }

    /** {@link #copy} with DL4J's own code in every layer. */
    static ComputationGraph copyWithoutHelpers(ComputationGraph graph) {
        ComputationGraph[] copy = new ComputationGraph[1];
        withHelpers(false, () -> copy[0] = copy(graph));
        return copy[0];
    }
}
