package dev.shm.runtime.model;

import static dev.shm.runtime.model.Blocks.conv;
import static dev.shm.runtime.model.Blocks.convBatchNorm;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.nd4j.linalg.activations.Activation;

/**
 * M-Net (docs/MODEL.md §1.2): a plain encoder-decoder without skips on the image and the trimap probabilities
 * (6 channels), convolutions without bias, BN after every convolution but the transposed ones and the last.
 * Layer names are {@code m_e1}..{@code m_e4}, {@code m_d1}..{@code m_d4} as the spec's rows, then {@code m_out}.
 *
 * <p>The spec's ConvTranspose 5/2/pad 2/output_padding 1 doubles the size; DL4J has no output padding, so each
 * transposed convolution pads 1 ({@code m_dN_deconv}, 2S+1 outputs) and {@code m_dN_crop} drops the first row and
 * column, which leaves exactly the spec's outputs. (DL4J's "Same" mode also doubles the size, but shifted by one
 * pixel and without oneDNN: 19x slower here.)
 */
public final class MNet {
    /** A row of the encoder or decoder: its name and the widths of its 3x3 convolution. */
    private record Row(String name, int in, int out) {
    }

    private static final List<Row> ENCODER = List.of(new Row("e1", 6, 16), new Row("e2", 16, 32),
            new Row("e3", 32, 64), new Row("e4", 64, 128));
    private static final List<Row> DECODER = List.of(new Row("d1", 128, 128), new Row("d2", 128, 64),
            new Row("d3", 64, 32), new Row("d4", 32, 16));
    public static final String RAW_ALPHA = "m_out";

    private MNet() {
    }

    /** Adds M-Net reading {@code input} (6 channels) and returns the name of its raw matte alpha_r (1 channel). */
    public static String add(GraphBuilder graph, String input) {
        String last = input;
        for (Row row : ENCODER) {
            String name = "m_" + row.name();
            String activated = convBatchNorm(graph, name + "_conv", conv(3, row.in(), row.out(), 1, false), last,
                    name + "_bn", Activation.RELU);
            graph.addLayer(name + "_pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(3, 3).stride(2, 2).padding(1, 1).build(), activated);
            last = name + "_pool";
        }
        for (Row row : DECODER) {
            String name = "m_" + row.name();
            String activated = convBatchNorm(graph, name + "_conv", conv(3, row.in(), row.out(), 1, false), last,
                    name + "_bn", Activation.RELU);
            last = transposedConv(graph, name, row.out(), activated);
        }
        graph.addLayer(RAW_ALPHA, DirectConvolution.of(conv(5, 16, 1, 1, false)), last);
        return RAW_ALPHA;
    }

    /** ConvTranspose 5x5, stride 2, pad 2, output padding 1, no bias: S x S to 2S x 2S. Returns the output's name. */
    static String transposedConv(GraphBuilder graph, String name, int channels, String input) {
        graph.addLayer(name + "_deconv", new Deconvolution2D.Builder(5, 5).nIn(channels).nOut(channels).stride(2, 2)
                .padding(1, 1).convolutionMode(ConvolutionMode.Truncate).hasBias(false)
                .activation(Activation.IDENTITY).build(), input);
        graph.addLayer(name + "_crop", new Cropping2D(1, 0, 1, 0), name + "_deconv");
        return name + "_crop";
    }
}
