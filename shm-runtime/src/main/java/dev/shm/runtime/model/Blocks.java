package dev.shm.runtime.model;

import java.util.Locale;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.nd4j.linalg.activations.Activation;

/** The building blocks T-Net and M-Net share: a padded convolution, and convolution + BN + activation. */
final class Blocks {
    private Blocks() {
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
        String activated = bnName.replaceFirst("_bn$", "") + "_" + activation.name().toLowerCase(Locale.ROOT);
        graph.addLayer(activated, new InPlaceActivation(activation), bnName);
        return activated;
    }
}
