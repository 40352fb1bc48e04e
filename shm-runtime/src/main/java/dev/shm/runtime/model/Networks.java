package dev.shm.runtime.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The three graphs of SHM training (docs/MODEL.md §2), all sharing T-Net's and M-Net's layer names so weights move
 * between them by name:
 * <ul>
 *   <li>{@link Kind#T_NET}: image -> T-Net -> {@code trimap} (softmax cross-entropy);</li>
 *   <li>{@link Kind#M_NET}: image + one-hot ground-truth trimap -> M-Net -> fusion -> {@code matte} (L_p);</li>
 *   <li>{@link Kind#END_TO_END}: image -> T-Net -> softmax -> M-Net -> fusion, scored by L_p + 0.01 L_t.</li>
 * </ul>
 * The end-to-end graph is also the inference network: {@code t_out} holds the trimap logits and {@code alpha} the
 * fused matte (clamp it to [0, 1] at inference).
 */
public final class Networks {
    public static final String IMAGE = "image";
    public static final String TRIMAP_PRIOR = "trimap_prior";
    public static final String SOFTMAX = "t_softmax";
    public static final String ALPHA = "alpha";
    public static final String TRIMAP_OUTPUT = "trimap";
    public static final String MATTE_OUTPUT = "matte";
    public static final double WEIGHT_DECAY = 5e-4;
    public static final double TRIMAP_WEIGHT_END_TO_END = 0.01;

    /** Which graph: the phase that trains it. */
    public enum Kind {
        T_NET,
        M_NET,
        END_TO_END
    }

    private Networks() {
    }

    /** Builds and initialises a graph for inputs of {@code size} x {@code size} (the loss is a per-pixel mean at that size). */
    public static ComputationGraph build(Kind kind, int size, long seed, double learningRate) {
        return build(kind, size, seed, new Adam(learningRate, 0.9, 0.999, 1e-8));
    }

    /** As {@link #build(Kind, int, long, double)}, with a learning rate that changes with the step. */
    public static ComputationGraph build(Kind kind, int size, long seed, ISchedule learningRate) {
        return build(kind, size, seed, new Adam(learningRate)); // Adam's defaults are the betas 0.9/0.999 and 1e-8
    }

    private static ComputationGraph build(Kind kind, int size, long seed, Adam updater) {
        Backend.init();
        if (size <= 0 || size % 16 != 0) {
            throw new IllegalArgumentException("the input size must be a positive multiple of 16, got " + size);
        }
        long pixels = (long) size * size;
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .l2(WEIGHT_DECAY)
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs(kind == Kind.M_NET ? new String[] {IMAGE, TRIMAP_PRIOR} : new String[] {IMAGE});
        switch (kind) {
            case T_NET -> {
                String logits = TNet.add(graph, IMAGE);
                graph.addLayer(TRIMAP_OUTPUT, trimapLoss(1.0, pixels), logits);
                graph.setOutputs(TRIMAP_OUTPUT);
                graph.setInputTypes(InputType.convolutional(size, size, 3));
            }
            case M_NET -> {
                graph.addVertex("m_input", new MergeVertex(), IMAGE, TRIMAP_PRIOR);
                String raw = MNet.add(graph, "m_input");
                addMatteHead(graph, TRIMAP_PRIOR, raw, pixels);
                graph.setOutputs(MATTE_OUTPUT);
                graph.setInputTypes(InputType.convolutional(size, size, 3), InputType.convolutional(size, size, 3));
            }
            case END_TO_END -> {
                String logits = TNet.add(graph, IMAGE);
                graph.addLayer(TRIMAP_OUTPUT, trimapLoss(TRIMAP_WEIGHT_END_TO_END, pixels), logits);
                graph.addLayer(SOFTMAX, new ChannelSoftmax(), logits);
                graph.addVertex("m_input", new MergeVertex(), IMAGE, SOFTMAX);
                String raw = MNet.add(graph, "m_input");
                addMatteHead(graph, SOFTMAX, raw, pixels);
                graph.setOutputs(TRIMAP_OUTPUT, MATTE_OUTPUT);
                graph.setInputTypes(InputType.convolutional(size, size, 3));
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        ComputationGraphConfiguration configuration = graph.build();
        ComputationGraph network = new ComputationGraph(configuration);
        network.init();
        restoreFixedWeights(network, kind);
        return network;
    }

    /**
     * Writes a network's fixed weights again: T-Net's bilinear kernels, where the network has T-Net. DL4J's L2 decay
     * still moves them ({@link TNet#setBilinearKernels}), so training calls this after every step.
     */
    public static void restoreFixedWeights(ComputationGraph network, Kind kind) {
        if (kind != Kind.M_NET) {
            TNet.setBilinearKernels(network);
        }
    }

    private static void addMatteHead(GraphBuilder graph, String probabilities, String rawAlpha, long pixels) {
        graph.addVertex(ALPHA, new FusionVertex(), probabilities, rawAlpha);
        graph.addVertex("composition", new CompositionVertex(), ALPHA, IMAGE);
        graph.addLayer(MATTE_OUTPUT, new CnnLossLayer.Builder().lossFunction(new MatteLoss(pixels))
                .activation(Activation.IDENTITY).build(), "composition");
    }

    private static CnnLossLayer trimapLoss(double weight, long pixels) {
        return new CnnLossLayer.Builder().lossFunction(new TrimapLoss(weight, pixels)).activation(Activation.SOFTMAX)
                .build();
    }

    /** Parameters the optimiser changes: all but BN running statistics and the fixed bilinear kernels. */
    public static long trainableParameters(ComputationGraph graph, String layerPrefix) {
        long total = 0;
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (!name.startsWith(layerPrefix) || TNet.isFixed(name)) {
                continue;
            }
            for (var entry : layer.paramTable().entrySet()) {
                String key = entry.getKey();
                if (!key.equals("mean") && !key.equals("var") && !key.equals("log10stdev")) {
                    total += entry.getValue().length();
                }
            }
        }
        return total;
    }

    /** Copies every parameter whose layer exists in both graphs with the same shape; returns how many layers. */
    public static int copyMatchingParameters(ComputationGraph from, ComputationGraph to) {
        int copied = 0;
        for (Layer target : to.getLayers()) {
            String name = target.conf().getLayer().getLayerName();
            Layer source;
            try {
                source = from.getLayer(name);
            } catch (RuntimeException e) {
                continue;
            }
            if (source == null || source.numParams() == 0) {
                continue;
            }
            boolean any = false;
            for (var entry : source.paramTable().entrySet()) {
                var destination = target.paramTable().get(entry.getKey());
                if (destination != null && java.util.Arrays.equals(destination.shape(), entry.getValue().shape())) {
                    destination.assign(entry.getValue());
                    any = true;
                }
            }
            if (any) {
                copied++;
            }
        }
        return copied;
    }
}
