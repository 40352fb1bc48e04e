package dev.shm.runtime.model;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Lays out the workspace in which DL4J keeps a training step's activations (a graph's {@code WS_ALL_LAYERS_ACT})
 * before the step that would learn its size. Left to DL4J, the first step after the thread's workspaces are
 * destroyed (a phase's start, each epoch's evaluation) allocates every activation on its own, and only at its end
 * the workspace that holds them from then on. glibc's allocator, which keeps freed memory for training, puts that
 * workspace above the memory those activations held, and the process holds both: twice 2.3 GiB for T-Net at
 * 320x320, batch 8. Here the workspace comes first, sized from one image's training step on a copy of the graph
 * (what a step keeps grows with the batch, image by image), after glibc has handed the freed pages back.
 */
public final class ActivationWorkspace {
    private final ComputationGraph graph;
    private long[] measuredImageShape;
    private long bytesPerImage;

    public ActivationWorkspace(ComputationGraph graph) {
        this.graph = graph;
    }

    /**
     * Makes this thread's activation workspace large enough for a training step of the graph on {@code batch}:
     * nothing where it already is; else this thread's workspaces are destroyed and the activation workspace made
     * anew at that size. Call it before a step, outside any workspace.
     */
    public void prepare(MultiDataSet batch) {
        if (graph.getConfiguration().getTrainingWorkspaceMode() == WorkspaceMode.NONE) {
            return;
        }
        MemoryWorkspaceManager workspaces = Nd4j.getWorkspaceManager();
        long needed = bytesPerImage(batch) * batch.getFeatures(0).size(0);
        if (workspaces.checkIfWorkspaceExists(DefaultWorkspaces.ACTIVATIONS)
                && workspaces.getWorkspaceForCurrentThread(DefaultWorkspaces.ACTIVATIONS).getCurrentSize() >= needed) {
            return;
        }
        workspaces.destroyAllWorkspacesForCurrentThread();
        releaseFreedMemory();
        workspaces.getWorkspaceForCurrentThread(DefaultWorkspaces.sized(needed), DefaultWorkspaces.ACTIVATIONS);
    }

    /** What a training step keeps per image of {@code batch}'s shape, measured once per image shape. */
    private long bytesPerImage(MultiDataSet batch) {
        long[] imageShape = batch.getFeatures(0).shape().clone();
        imageShape[0] = 1;
        if (!Arrays.equals(imageShape, measuredImageShape)) {
            bytesPerImage = measure(firstImage(batch));
            measuredImageShape = imageShape;
        }
        return bytesPerImage;
    }

    /** The activation workspace's allocations in one training step of a fresh copy of the graph on {@code image}. */
    private long measure(MultiDataSet image) {
        MemoryWorkspaceManager workspaces = Nd4j.getWorkspaceManager();
        workspaces.destroyAllWorkspacesForCurrentThread();
        ComputationGraph copy = new ComputationGraph(graph.getConfiguration().clone());
        copy.init();
        copy.setInputs(image.getFeatures());
        copy.setLabels(image.getLabels());
        copy.setLayerMaskArrays(image.getFeaturesMaskArrays(), image.getLabelsMaskArrays());
        copy.computeGradientAndScore();
        long bytes = workspaces.getWorkspaceForCurrentThread(DefaultWorkspaces.ACTIVATIONS).getMaxCycleAllocations();
        workspaces.destroyAllWorkspacesForCurrentThread();
        return bytes;
    }

    private static MultiDataSet firstImage(MultiDataSet batch) {
        return new org.nd4j.linalg.dataset.MultiDataSet(first(batch.getFeatures()), first(batch.getLabels()),
                first(batch.getFeaturesMaskArrays()), first(batch.getLabelsMaskArrays()));
    }

    private static INDArray[] first(INDArray[] arrays) {
        if (arrays == null) {
            return null;
        }
        INDArray[] firsts = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] != null) {
                INDArrayIndex[] index = new INDArrayIndex[arrays[i].rank()];
                index[0] = NDArrayIndex.interval(0, 1);
                for (int d = 1; d < index.length; d++) {
                    index[d] = NDArrayIndex.all();
                }
                firsts[i] = arrays[i].get(index).dup();
            }
        }
        return firsts;
    }

    /**
     * Hands the pages of freed native memory back to the system (glibc's {@code malloc_trim}), which glibc otherwise
     * keeps under shm's training allocator. Returns whether it ran: false on another system or C library.
     */
    static boolean releaseFreedMemory() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            NativeLibrary.getInstance("c").getFunction("malloc_trim").invokeInt(new Object[] {0L});
            return true;
        } catch (UnsatisfiedLinkError notGlibc) {
            return false;
        }
    }

    /** DL4J's name and settings for a graph's activation workspace, which only its subclasses can read. */
    private abstract static class DefaultWorkspaces extends ComputationGraph {
        static final String ACTIVATIONS = WS_ALL_LAYERS_ACT;

        private DefaultWorkspaces(ComputationGraphConfiguration configuration) {
            super(configuration);
        }

        /** DL4J's settings for the activation workspace, starting at {@code bytes} instead of learning them. */
        static WorkspaceConfiguration sized(long bytes) {
            WorkspaceConfiguration learned = WS_ALL_LAYERS_ACT_CONFIG;
            return WorkspaceConfiguration.builder()
                    .initialSize(bytes)
                    .overallocationLimit(learned.getOverallocationLimit())
                    .policyLearning(learned.getPolicyLearning())
                    .policyReset(learned.getPolicyReset())
                    .policySpill(learned.getPolicySpill())
                    .policyAllocation(learned.getPolicyAllocation())
                    .build();
        }
    }
}
