package dev.shm.runtime.train;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.PhaseConfig;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Refuses a batch that cannot fit, before the first step runs out of memory half-way, comparing an estimate
 * against the off-heap memory JavaCPP may use.
 */
final class MemoryCheck {
    private MemoryCheck() {
    }

    static void ensureBatchFits(ComputationGraph graph, PhaseConfig config, String phase) {
        long available = Pointer.maxBytes() > 0 ? Pointer.maxBytes() : Runtime.getRuntime().maxMemory();
        long needed = estimate(graph, config.trainBatch(), config.patchSize());
        if (needed > available) {
            throw new ShmException(String.format(Locale.ROOT,
                    "%s.train_batch %d at patch_size %d needs about %.1f GiB for training, and this JVM may use %.1f GiB "
                            + "off-heap; lower %s.train_batch or %s.patch_size, or raise the limit "
                            + "(-Dorg.bytedeco.javacpp.maxbytes, MAVEN_OPTS=-Xmx...)",
                    phase, config.trainBatch(), config.patchSize(), needed / 1073741824.0, available / 1073741824.0,
                    phase, phase));
        }
    }

    /**
     * Bytes one training step needs: the activations of one image, measured by a forward pass at the patch size,
     * three times (outputs, their gradients, workspace slack) per image of the batch, plus weights, gradients and the
     * two Adam moments.
     */
    static long estimate(ComputationGraph graph, int batch, int patch) {
        INDArray[] inputs = new INDArray[graph.getConfiguration().getNetworkInputs().size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Nd4j.zeros(DataType.FLOAT, 1, 3, patch, patch);
        }
        long perImage = 0;
        for (INDArray activation : graph.feedForward(inputs, false).values()) {
            perImage += activation.length() * 4L;
        }
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        return perImage * 3 * batch + graph.numParams() * 4L * 4;
    }
}
