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
    private static final INDArray[] FEATURES;
    private static final INDArray[] LABELS;

    static {
        Backend.init();
        Nd4j.getRandom().setSeed(23);
        FEATURES = new INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 3, SIZE, SIZE)};
        INDArray trimap = Nd4j.zeros(DataType.FLOAT, 2, 3, SIZE, SIZE);
        trimap.get(NDArrayIndex.all(), NDArrayIndex.point(1)).assign(1);
        LABELS = new INDArray[] {trimap, Nd4j.rand(DataType.FLOAT, 2, 4, SIZE, SIZE)};
    }

    @Test
    void trainsTheEndToEndNetworkAsDl4jsOwnLayers() {
        Dl4jLayers.withHelpers(false, () -> {
            ComputationGraph transientOutputs = Networks.build(Networks.Kind.END_TO_END, SIZE, 7, 1e-3);
            ComputationGraph plain = Dl4jLayers.copy(transientOutputs);
            for (int step = 0; step < 2; step++) {
                plain.fit(FEATURES, LABELS);
                transientOutputs.fit(FEATURES, LABELS);
            }
            assertEquals(plain.params(), transientOutputs.params());
            assertEquals(plain.score(), transientOutputs.score(), 0);
        });
    }

    /**
     * With the helpers on, the batch norms run shm's kernels, which sum in another order than oneDNN. At 32x32 the
     * deepest layers normalise over a few values per channel, where float rounding grows on the way back (DL4J's own
     * Java batch norm differs from its oneDNN one by up to 1% there too): the gradient agrees to 5% of its largest
     * component, the loss to 1e-5, and after N Adam steps no parameter is further apart than two opposite Adam updates
     * (about lr each, 2.5 lr allowed) per step, which a flipped sign of a near-zero gradient component gives (the
     * running statistics follow the activations, and the fixed bilinear kernels are reset by the trainer: both are left
     * out).
     */
    @Test
    void trainsTheEndToEndNetworkAsDl4jsOwnLayersToFloatRoundingWithTheHelpers() {
        Dl4jLayers.withHelpers(true, () -> {
            double lr = 1e-3;
            ComputationGraph transientOutputs = Networks.build(Networks.Kind.END_TO_END, SIZE, 7, lr);
            ComputationGraph plain = Dl4jLayers.copy(transientOutputs);
            for (ComputationGraph graph : new ComputationGraph[] {plain, transientOutputs}) {
                graph.setInputs(FEATURES);
                graph.setLabels(LABELS);
                graph.computeGradientAndScore();
            }
            INDArray expected = plain.getFlattenedGradients();
            INDArray actual = transientOutputs.getFlattenedGradients();
            double largest = expected.amaxNumber().doubleValue();
            assertTrue(largest > 0);
            assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 0.05 * largest);
            assertEquals(plain.score(), transientOutputs.score(), 1e-5 * Math.abs(plain.score()));

            int steps = 3;
            for (int step = 0; step < steps; step++) {
                plain.fit(FEATURES, LABELS);
                transientOutputs.fit(FEATURES, LABELS);
            }
            for (var parameter : plain.paramTable().entrySet()) {
                String layer = parameter.getKey().substring(0, parameter.getKey().lastIndexOf('_'));
                if (!parameter.getKey().endsWith("_mean") && !parameter.getKey().endsWith("_log10stdev")
                        && !TNet.isFixed(layer)) {
                    INDArray other = transientOutputs.paramTable().get(parameter.getKey());
                    assertEquals(0, parameter.getValue().sub(other).amaxNumber().doubleValue(), 2.5 * lr * steps,
                            parameter.getKey());
                }
            }
            assertEquals(plain.score(), transientOutputs.score(), 1e-3 * Math.abs(plain.score()));
        });
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
            if (layer instanceof TransientConvolution.Implementation || layer instanceof TransientDepthwiseConvolution.Implementation) {
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
