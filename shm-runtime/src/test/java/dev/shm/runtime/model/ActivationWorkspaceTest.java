package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ActivationWorkspaceTest {
    private static final String ACTIVATIONS = "WS_ALL_LAYERS_ACT";
    private static final int SIZE = 32;

    @BeforeEach
    void noWorkspaces() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    @ParameterizedTest
    @EnumSource(Networks.Kind.class)
    void holdsTheFirstStepAtTheSizeDl4jWouldLearnFromIt(Networks.Kind kind) {
        MultiDataSet batch = batch(kind, 3, 7);
        ComputationGraph alone = Networks.build(kind, SIZE, 1, 1e-3);
        alone.fit(batch);
        long learned = activations().getCurrentSize();
        noWorkspaces();

        ComputationGraph graph = Networks.build(kind, SIZE, 1, 1e-3);
        new ActivationWorkspace(graph).prepare(batch);
        MemoryWorkspace prepared = activations();
        long size = prepared.getCurrentSize();
        graph.fit(batch);

        assertSame(prepared, activations());
        assertEquals(size, activations().getCurrentSize(), "the first step fits: no allocation learns a new size");
        assertTrue(activations().getMaxCycleAllocations() <= size);
        assertEquals(learned, size, learned * 1e-3);
    }

    @Test
    void trainsBitForBitAsWithoutIt() {
        MultiDataSet batch = batch(Networks.Kind.END_TO_END, 2, 3);
        ComputationGraph prepared = Networks.build(Networks.Kind.END_TO_END, SIZE, 5, 1e-3);
        ActivationWorkspace workspace = new ActivationWorkspace(prepared);
        for (int step = 0; step < 2; step++) {
            workspace.prepare(batch);
            prepared.fit(batch);
        }
        noWorkspaces();
        ComputationGraph alone = Networks.build(Networks.Kind.END_TO_END, SIZE, 5, 1e-3);
        alone.fit(batch);
        alone.fit(batch);

        assertEquals(alone.params(), prepared.params());
    }

    @Test
    void growsForALargerBatchOnlyAndComesBackAfterTheWorkspacesGo() {
        ComputationGraph graph = Networks.build(Networks.Kind.M_NET, SIZE, 1, 1e-3);
        ActivationWorkspace workspace = new ActivationWorkspace(graph);
        workspace.prepare(batch(Networks.Kind.M_NET, 2, 11));
        MemoryWorkspace forTwo = activations();
        long two = forTwo.getCurrentSize();

        workspace.prepare(batch(Networks.Kind.M_NET, 1, 12));
        assertSame(forTwo, activations(), "a smaller batch fits");

        workspace.prepare(batch(Networks.Kind.M_NET, 3, 13));
        assertNotSame(forTwo, activations());
        assertEquals(1.5 * two, activations().getCurrentSize(), two * 1e-3);

        noWorkspaces();
        workspace.prepare(batch(Networks.Kind.M_NET, 2, 14));
        assertEquals(two, activations().getCurrentSize());
    }

    @Test
    void glibcHandsFreedPagesBack() {
        assumeTrue(Platform.isLinux());
        assertTrue(ActivationWorkspace.releaseFreedMemory());
    }

    private static MemoryWorkspace activations() {
        assertTrue(Nd4j.getWorkspaceManager().checkIfWorkspaceExists(ACTIVATIONS));
        return Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(ACTIVATIONS);
    }

    /** Random images and labels of {@code kind}'s shapes: a one-hot trimap, a matte with its composition's channels. */
    private static MultiDataSet batch(Networks.Kind kind, int images, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray image = Nd4j.rand(DataType.FLOAT, images, 3, SIZE, SIZE);
        INDArray trimap = Nd4j.zeros(DataType.FLOAT, images, 3, SIZE, SIZE);
        trimap.get(NDArrayIndex.all(), NDArrayIndex.point(1)).assign(1);
        INDArray matte = Nd4j.rand(DataType.FLOAT, images, 4, SIZE, SIZE);
        return switch (kind) {
            case T_NET -> new MultiDataSet(new INDArray[] {image}, new INDArray[] {trimap});
            case M_NET -> new MultiDataSet(new INDArray[] {image, trimap}, new INDArray[] {matte});
            case END_TO_END -> new MultiDataSet(new INDArray[] {image}, new INDArray[] {trimap, matte});
        };
    }
}
