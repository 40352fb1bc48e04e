package dev.shm.runtime.train;

import com.sun.management.OperatingSystemMXBean;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.PhaseConfig;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Refuses a batch that cannot fit, before the first step runs out of memory half-way, comparing an estimate
 * against the machine's physical memory (ND4J allocates natively, outside the JVM's and JavaCPP's limits).
 */
final class MemoryCheck {
    /** Stored activations and backward-pass transients per image, over the sum of one forward pass's outputs. */
    static final double TRAINING_FACTOR = 0.875;
    /** The JVM, the native libraries and what the allocator keeps. */
    static final long OVERHEAD_BYTES = 3L << 29;

    private MemoryCheck() {
    }

    /** Refuses the phase's batch when {@code fits} fits of it at once (workers in this JVM) cannot fit. */
    static void ensureBatchFits(ComputationGraph graph, PhaseConfig config, String phase, int fits) {
        long available = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        long needed = estimate(activationBytesPerImage(graph, config.patchSize()), config.trainBatch(), graph.numParams(),
                fits);
        if (needed > available) {
            throw new ShmException(String.format(Locale.ROOT,
                    "%s.train_batch %d at patch_size %d needs about %.1f GiB for training%s, and this machine has %.1f GiB; "
                            + "lower %s.train_batch or %s.patch_size%s",
                    phase, config.trainBatch(), config.patchSize(), needed / 1073741824.0,
                    fits > 1 ? " on " + fits + " workers at once" : "", available / 1073741824.0, phase, phase,
                    fits > 1 ? ", or shm.workers" : ""));
        }
    }

    /**
     * Bytes {@code fits} training steps at once need: for each, {@link #TRAINING_FACTOR} times the activations of
     * each image of the batch and the weights with their gradients and two Adam moments; and {@link #OVERHEAD_BYTES}
     * once. Calibrated on the end-to-end network at 320x320 (859 MB of activations per image): measured peaks
     * 3.45 GiB at batch 4, 6.16 GiB at batch 8.
     */
    static long estimate(long activationBytesPerImage, int batch, long parameters, int fits) {
        return fits * ((long) (TRAINING_FACTOR * activationBytesPerImage * batch) + parameters * 4L * 4) + OVERHEAD_BYTES;
    }

    /** The summed outputs of every vertex for one image at the patch size, measured by a forward pass. */
    private static long activationBytesPerImage(ComputationGraph graph, int patch) {
        INDArray[] inputs = new INDArray[graph.getConfiguration().getNetworkInputs().size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Nd4j.zeros(DataType.FLOAT, 1, 3, patch, patch);
        }
        long bytes = 0;
        for (INDArray activation : graph.feedForward(inputs, false).values()) {
            bytes += activation.length() * 4L;
        }
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        return bytes;
    }
}
