package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TransientConvolutionTest {
    private static final int SIZE = 32;

    @Test
    void trainsTheEndToEndNetworkAsDl4jsOwnLayers() {
        for (boolean helpers : new boolean[] {true, false}) {
            Dl4jLayers.withHelpers(helpers, () -> {
                ComputationGraph transientOutputs = Networks.build(Networks.Kind.END_TO_END, SIZE, 7, 1e-3);
                ComputationGraph plain = Dl4jLayers.copy(transientOutputs);
                INDArray[] features = {Nd4j.rand(DataType.FLOAT, 2, 3, SIZE, SIZE)};
                INDArray trimap = Nd4j.zeros(DataType.FLOAT, 2, 3, SIZE, SIZE);
                trimap.get(NDArrayIndex.all(), NDArrayIndex.point(1)).assign(1);
                INDArray[] labels = {trimap, Nd4j.rand(DataType.FLOAT, 2, 4, SIZE, SIZE)};
                for (int step = 0; step < 2; step++) {
                    plain.fit(features, labels);
                    transientOutputs.fit(features, labels);
                }
                assertEquals(plain.params(), transientOutputs.params(), "helpers " + helpers);
                assertEquals(plain.score(), transientOutputs.score(), 0, "helpers " + helpers);
            });
        }
    }

    @Test
    void keepsNoConvolutionOutputInTheActivationsWorkspace() throws Exception {
        ComputationGraph transientOutputs = Networks.build(Networks.Kind.END_TO_END, SIZE, 7, 1e-3);
        ComputationGraph plain = Dl4jLayers.copy(transientOutputs);
        INDArray[] features = {Nd4j.rand(DataType.FLOAT, 2, 3, SIZE, SIZE)};
        INDArray[] labels = {Nd4j.rand(DataType.FLOAT, 2, 3, SIZE, SIZE), Nd4j.rand(DataType.FLOAT, 2, 4, SIZE, SIZE)};
        long transientOutputBytes = 0;
        for (var activation : transientOutputs.feedForward(features, false).entrySet()) {
            var layer = transientOutputs.getVertex(activation.getKey()).getLayer();
            if (layer instanceof TransientConvolution.Runtime || layer instanceof TransientDepthwiseConvolution.Runtime) {
                transientOutputBytes += activation.getValue().length() * 4;
            }
        }
        long saved = activationsWorkspaceBytes(plain, features, labels)
                - activationsWorkspaceBytes(transientOutputs, features, labels);
        assertTrue(transientOutputBytes > 0);
        assertTrue(saved >= transientOutputBytes, saved + " bytes saved of " + transientOutputBytes);
    }

    /** The size DL4J's activations workspace settles at for training steps on a thread of their own. */
    private static long activationsWorkspaceBytes(ComputationGraph graph, INDArray[] features, INDArray[] labels)
            throws InterruptedException {
        long[] bytes = new long[1];
        Thread thread = new Thread(() -> {
            graph.fit(features, labels);
            graph.fit(features, labels);
            MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread("WS_ALL_LAYERS_ACT");
            bytes[0] = workspace.getCurrentSize();
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            ConvolutionScratch.release();
        });
        thread.start();
        thread.join();
        assertTrue(bytes[0] > 0, "the activations workspace was used");
        return bytes[0];
    }

    @Test
    void refusesAnOutputThatALaterConvolutionOverwrote() {
        ConvolutionScratch.Producer first = producer(1);
        INDArray held = ConvolutionScratch.hold(first, DataType.FLOAT);
        assertEquals(first, ConvolutionScratch.producerOf(held, "bn"));
        assertEquals(1, held.getDouble(0, 0, 0, 0));
        ConvolutionScratch.hold(producer(2), DataType.FLOAT);
        var refused = assertThrows(IllegalStateException.class, () -> ConvolutionScratch.producerOf(held, "bn"));
        assertTrue(refused.getMessage().startsWith("bn reads a convolution output"), refused.getMessage());
        assertEquals(null, ConvolutionScratch.producerOf(held.dup(), "bn"), "an array of its own is not transient");
        ConvolutionScratch.release();
    }

    private static ConvolutionScratch.Producer producer(double value) {
        return new ConvolutionScratch.Producer() {
            @Override
            public long[] outputShape() {
                return new long[] {1, 2, 3, 3};
            }

            @Override
            public void writeOutput(INDArray output) {
                output.assign(value);
            }
        };
    }
}
