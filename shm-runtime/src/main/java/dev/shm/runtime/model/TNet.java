package dev.shm.runtime.model;

import static dev.shm.runtime.model.Blocks.conv;
import static dev.shm.runtime.model.Blocks.convBatchNorm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * T-Net (docs/MODEL.md §1.1): a MobileNetV2 encoder and an additive U-Net decoder, read top to bottom as the spec's
 * tables. Layer names are {@code t_<stage>_<block>_<part>}: stages {@code head}, {@code b1}..{@code b7} of the
 * encoder and {@code d4}..{@code d1} of the decoder (the spec's 5->4 .. 2->1), then {@code t_out}.
 *
 * <p>The decoder's bilinear x2 upsampling (half-pixel centres) is built as nearest-neighbour x2
 * ({@code t_dN_up}) followed by a frozen depthwise 3x3 convolution whose kernel is the outer product of
 * [1/4, 1/2, 1/4] ({@code t_dN_bilinear}); with zero padding this equals bilinear resizing everywhere but the
 * outermost ring. Its weights are fixed and not counted as trainable.
 */
public final class TNet {
    /** An encoder stage: {@code blocks} inverted residuals, the first with {@code stride}; {@code skip} or null. */
    private record EncoderStage(String name, int blocks, int in, int out, int expansion, int stride, String skip) {
    }

    /** A decoder stage: up from {@code in} channels to the skip's {@code out}, then the skip added. */
    private record DecoderStage(String name, int in, int out, String skip) {
    }

    private static final List<EncoderStage> ENCODER = List.of(
            new EncoderStage("b1", 1, 32, 16, 1, 1, "s1"),
            new EncoderStage("b2", 2, 16, 24, 6, 2, "s2"),
            new EncoderStage("b3", 3, 24, 32, 6, 2, "s3"),
            new EncoderStage("b4", 4, 32, 64, 6, 2, null),
            new EncoderStage("b5", 3, 64, 96, 6, 1, "s4"),
            new EncoderStage("b6", 3, 96, 160, 6, 2, null),
            new EncoderStage("b7", 1, 160, 320, 6, 1, "s5"));
    private static final List<DecoderStage> DECODER = List.of(
            new DecoderStage("d4", 320, 96, "s4"),
            new DecoderStage("d3", 96, 32, "s3"),
            new DecoderStage("d2", 32, 24, "s2"),
            new DecoderStage("d1", 24, 16, "s1"));
    public static final String LOGITS = "t_out";

    private TNet() {
    }

    /** Adds T-Net reading {@code input} (3 channels) and returns the name of its raw trimap logits (3 channels). */
    public static String add(GraphBuilder graph, String input) {
        String last = convBatchNorm(graph, "t_head_conv", conv(3, 3, 32, 1, false), input, "t_head_bn",
                Activation.RELU);
        Map<String, String> skips = new HashMap<>();
        for (EncoderStage stage : ENCODER) {
            for (int b = 0; b < stage.blocks(); b++) {
                last = invertedResidual(graph, "t_" + stage.name() + "_" + b, b == 0 ? stage.in() : stage.out(),
                        stage.out(), stage.expansion(), b == 0 ? stage.stride() : 1, last);
            }
            if (stage.skip() != null) {
                skips.put(stage.skip(), last);
            }
        }
        last = skips.get("s5");
        for (DecoderStage stage : DECODER) {
            String name = "t_" + stage.name();
            graph.addLayer(name + "_up", new Upsampling2D.Builder(2).build(), last);
            graph.addLayer(name + "_bilinear", bilinear(stage.in()), name + "_up");
            String up = convBatchNorm(graph, name + "_conv", conv(3, stage.in(), stage.out(), 1, true),
                    name + "_bilinear", name + "_conv_bn", Activation.RELU);
            graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), up, skips.get(stage.skip()));
            last = convBatchNorm(graph, name + "_fuse", conv(3, stage.out(), stage.out(), 1, true), name + "_add",
                    name + "_fuse_bn", Activation.IDENTITY);
        }
        graph.addLayer(LOGITS, DirectConvolution.of(conv(3, 16, 3, 1, true)), last);
        return LOGITS;
    }

    /** IR(in, out, stride, t): 1x1 expand + BN + ReLU6, 3x3 depthwise + BN + ReLU6, 1x1 project + BN; add when s=1, in=out. */
    private static String invertedResidual(GraphBuilder graph, String name, int in, int out, int expansion, int stride,
            String input) {
        int hidden = in * expansion;
        String expanded = convBatchNorm(graph, name + "_expand", conv(1, in, hidden, 1, false), input,
                name + "_expand_bn", Activation.RELU6);
        DepthwiseConvolution2D depthwise = new DepthwiseConvolution2D.Builder(3, 3).nIn(hidden).depthMultiplier(1)
                .stride(stride, stride).padding(1, 1).hasBias(false).activation(Activation.IDENTITY).build();
        String filtered = convBatchNorm(graph, name + "_dw", depthwise, expanded, name + "_dw_bn", Activation.RELU6);
        String projected = convBatchNorm(graph, name + "_project", conv(1, hidden, out, 1, false), filtered,
                name + "_project_bn", Activation.IDENTITY);
        if (stride == 1 && in == out) {
            graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), projected, input);
            return name + "_add";
        }
        return projected;
    }

    private static DepthwiseConvolution2D bilinear(int channels) {
        return FixedDepthwiseConvolution.of(new DepthwiseConvolution2D.Builder(3, 3).nIn(channels).depthMultiplier(1)
                .padding(1, 1).hasBias(false).activation(Activation.IDENTITY).updater(new NoOp()).l2(0).build());
    }

    /**
     * Writes the fixed bilinear kernels (DL4J's depthwise layout [kH, kW, channels, 1]) into an initialised graph.
     * DL4J still applies the network's L2 decay to them, and where DL4J's own layer runs
     * ({@link FixedDepthwiseConvolution}) its NoOp updater subtracts their raw gradient, so training calls this after
     * every step to keep the kernels exact.
     */
    public static void setBilinearKernels(ComputationGraph graph) {
        double[] taps = {0.25, 0.5, 0.25};
        for (DecoderStage stage : DECODER) {
            INDArray weights = graph.getLayer("t_" + stage.name() + "_bilinear").getParam("W");
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    weights.get(NDArrayIndex.point(i), NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all())
                            .assign(taps[i] * taps[j]);
                }
            }
        }
    }

    /** Whether a layer holds fixed weights (the bilinear kernels), which training and init_weight leave alone. */
    public static boolean isFixed(String layerName) {
        return layerName.startsWith("t_d") && layerName.endsWith("_bilinear");
    }
}
