package dev.shm.runtime.model;

import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The backward-pass trick both transient convolutions share: DL4J's backward pass runs the forward convolution again
 * only to take the identity's derivative, so while it runs the layer answers that second forward pass with the
 * output gradient itself, which is what the identity's derivative turns it into.
 */
final class OutputHandOver {
    /** Read when the layer is made, as DL4J reads the switch for its helpers. */
    private final boolean helpers = Backend.helpersOn();
    private INDArray outputGradient;

    /** Whether a layer of {@code conf} hands its output over: only with DL4J's helpers on, and NCHW identity. */
    boolean on(ConvolutionLayer conf) {
        return helpers && TransientConvolution.isTransient(conf);
    }

    /** DL4J's backward pass ({@code backward}) with the output gradient standing for the recomputed output. */
    Pair<Gradient, INDArray> backward(INDArray epsilon, ConvolutionLayer conf,
            Supplier<Pair<Gradient, INDArray>> backward) {
        outputGradient = on(conf) ? epsilon : null;
        try {
            return backward.get();
        } finally {
            outputGradient = null;
        }
    }

    /** The pre-output DL4J's backward pass asks for: the output gradient while it runs, else {@code preOutput}. */
    Pair<INDArray, INDArray> preOutput(boolean forBackprop, Supplier<Pair<INDArray, INDArray>> preOutput) {
        return forBackprop && outputGradient != null ? new Pair<>(outputGradient, null) : preOutput.get();
    }
}
