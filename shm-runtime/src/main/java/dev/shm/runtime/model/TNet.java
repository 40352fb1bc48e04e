package dev.shm.runtime.model;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
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
    /** Encoder stages: name, blocks, input channels, output channels, expansion t, stride of the first block. */
    private static final Object[][] ENCODER = {
        {"b1", 1, 32, 16, 1, 1},
        {"b2", 2, 16, 24, 6, 2},
        {"b3", 3, 24, 32, 6, 2},
        {"b4", 4, 32, 64, 6, 2},
        {"b5", 3, 64, 96, 6, 1},
        {"b6", 3, 96, 160, 6, 2},
        {"b7", 1, 160, 320, 6, 1},
    };
    /** Decoder stages: name, input channels, skip (= output) channels, skip layer. */
    private static final Object[][] DECODER = {
        {"d4", 320, 96, "s4"},
        {"d3", 96, 32, "s3"},
        {"d2", 32, 24, "s2"},
        {"d1", 24, 16, "s1"},
    };
    public static final String LOGITS = "t_out";

    private TNet() {
    }

    /** Adds T-Net reading {@code input} (3 channels) and returns the name of its raw trimap logits (3 channels). */
    public static String add(GraphBuilder graph, String input) {
        String last = convBatchNorm(graph, "t_head_conv", conv(3, 3, 32, 1, false), input, "t_head_bn",
                Activation.RELU);
        Map<String, String> skips = new HashMap<>();
        for (Object[] stage : ENCODER) {
            String name = (String) stage[0];
            int blocks = (int) stage[1];
            int in = (int) stage[2];
            int out = (int) stage[3];
            int expansion = (int) stage[4];
            for (int b = 0; b < blocks; b++) {
                last = invertedResidual(graph, "t_" + name + "_" + b, b == 0 ? in : out, out, expansion,
                        b == 0 ? (int) stage[5] : 1, last);
            }
            switch (name) {
                case "b1" -> skips.put("s1", last);
                case "b2" -> skips.put("s2", last);
                case "b3" -> skips.put("s3", last);
                case "b5" -> skips.put("s4", last);
                case "b7" -> skips.put("s5", last);
                default -> { }
            }
        }
        last = skips.get("s5");
        for (Object[] stage : DECODER) {
            String name = "t_" + stage[0];
            int in = (int) stage[1];
            int out = (int) stage[2];
            graph.addLayer(name + "_up", new Upsampling2D.Builder(2).build(), last);
            graph.addLayer(name + "_bilinear", bilinear(in), name + "_up");
            String up = convBatchNorm(graph, name + "_conv", conv(3, in, out, 1, true), name + "_bilinear",
                    name + "_conv_bn", Activation.RELU);
            graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), up, skips.get((String) stage[3]));
            last = convBatchNorm(graph, name + "_fuse", conv(3, out, out, 1, true), name + "_add", name + "_fuse_bn",
                    Activation.IDENTITY);
        }
        graph.addLayer(LOGITS, conv(3, 16, 3, 1, true), last);
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

    static ConvolutionLayer conv(int kernel, int in, int out, int stride, boolean bias) {
        int pad = kernel / 2;
        return new ConvolutionLayer.Builder(kernel, kernel).nIn(in).nOut(out).stride(stride, stride).padding(pad, pad)
                .hasBias(bias).activation(Activation.IDENTITY).build();
    }

    /**
     * A convolution ({@code convName}, reading {@code input}) whose output only its BN reads, the BN
     * ({@code bnName}), then the activation as a layer of its own ({@code bnName} with the activation's name in
     * place of {@code bn}): DL4J's batch-normalisation layer ignores an activation set on it. Returns the name of
     * the block's output.
     */
    static String convBatchNorm(GraphBuilder graph, String convName, ConvolutionLayer conv, String input, String bnName,
            Activation activation) {
        graph.addLayer(convName, conv instanceof DepthwiseConvolution2D depthwise
                ? TransientDepthwiseConvolution.of(depthwise) : TransientConvolution.of(conv), input);
        graph.addLayer(bnName, RecomputingBatchNorm.of(new BatchNormalization.Builder().nIn(conv.getNOut())
                .nOut(conv.getNOut()).eps(1e-5).decay(0.9).activation(Activation.IDENTITY).build()), convName);
        if (activation == Activation.IDENTITY) {
            return bnName;
        }
        String activated = bnName.replaceFirst("_bn$", "") + "_" + activation.name().toLowerCase(java.util.Locale.ROOT);
        graph.addLayer(activated, new InPlaceActivation(activation), bnName);
        return activated;
    }

    private static DepthwiseConvolution2D bilinear(int channels) {
        return new DepthwiseConvolution2D.Builder(3, 3).nIn(channels).depthMultiplier(1).padding(1, 1).hasBias(false)
                .activation(Activation.IDENTITY).updater(new NoOp()).l2(0).build();
    }

    /**
     * Writes the fixed bilinear kernels (DL4J's depthwise layout [kH, kW, channels, 1]) into an initialised graph. DL4J's
     * NoOp updater still subtracts the raw gradient from a layer's parameters, so training calls this after every
     * step to keep the kernels exact.
     */
    public static void setBilinearKernels(ComputationGraph graph) {
        double[] taps = {0.25, 0.5, 0.25};
        for (Object[] stage : DECODER) {
            INDArray weights = graph.getLayer("t_" + stage[0] + "_bilinear").getParam("W");
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
