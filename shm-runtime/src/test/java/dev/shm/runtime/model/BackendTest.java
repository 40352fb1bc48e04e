package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BackendTest {
    @Test
    void oneDnnHelpersAreOnForConvolutionBatchNormAndPooling() {
        ComputationGraph graph = Networks.build(Networks.Kind.END_TO_END, 32, 1, 1e-4);
        for (String layer : new String[] {"t_head_conv", "t_head_bn", "m_e1_pool"}) {
            assertTrue(String.valueOf(graph.getLayer(layer).getHelper()).contains("MKLDNN"),
                    layer + " runs on " + graph.getLayer(layer).getHelper());
        }
    }

    @Test
    void theOneDnnBuildIsChosenWhereItIsOnTheClassPath() {
        assertEquals(org.bytedeco.javacpp.Loader.getPlatform().equals("linux-x86_64"), Backend.hasOneDnnBuild(),
                "this build ships linux-x86_64-onednn, and only the plain build for ARM");
        Backend.init();
        assertEquals("-onednn", System.getProperty("org.bytedeco.javacpp.platform.extension"));
    }

    /**
     * Layer by layer on the same inputs and upstream gradients: the whole network's gradients are too ill-conditioned
     * to compare at test sizes (batch normalisation over a 2x2 map amplifies float rounding).
     */
    @Test
    void helpersComputeWhatDl4jsOwnCodeComputes() {
        ComputationGraph withHelpers = Networks.build(Networks.Kind.END_TO_END, 32, 7, 1e-3);
        ComputationGraph plain = Dl4jLayers.copyWithoutHelpers(withHelpers);
        assertNull(plain.getLayer("t_head_conv").getHelper());
        Nd4j.getRandom().setSeed(3);
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        assertClose(plain.output(false, image)[1], withHelpers.output(false, image)[1], 1e-4, "alpha");

        plain.initGradientsView();
        withHelpers.initGradientsView();
        Map<String, INDArray> activations = plain.feedForward(new INDArray[] {image}, true, false);
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        int compared = 0;
        for (int index : plain.topologicalSortOrder()) {
            GraphVertex expected = plain.getVertices()[index];
            GraphVertex actual = withHelpers.getVertices()[index];
            if (!actual.hasLayer() || actual.getLayer().getHelper() == null) {
                continue;
            }
            INDArray input = activations.get(plain.getVertices()[expected.getInputVertices()[0].getVertexIndex()].getVertexName());
            expected.setInput(0, input.dup(), workspaces);
            actual.setInput(0, input.dup(), workspaces);
            INDArray output = expected.doForward(true, workspaces);
            String name = expected.getVertexName();
            assertClose(output, actual.doForward(true, workspaces), 1e-4 * output.amaxNumber().doubleValue(), name);
            INDArray epsilon = Nd4j.rand(DataType.FLOAT, output.shape()).subi(0.5);
            expected.setEpsilon(epsilon.dup());
            actual.setEpsilon(epsilon.dup());
            var want = expected.doBackward(false, workspaces);
            var got = actual.doBackward(false, workspaces);
            INDArray inputGradient = want.getSecond()[0];
            assertClose(inputGradient, got.getSecond()[0], 1e-4 * inputGradient.amaxNumber().doubleValue(), name + " input gradient");
            for (var entry : want.getFirst().gradientForVariable().entrySet()) {
                if (entry.getKey().equals("gamma") || entry.getKey().equals("beta") || entry.getKey().equals("W")) {
                    INDArray gradient = entry.getValue();
                    assertClose(gradient, got.getFirst().getGradientFor(entry.getKey()),
                            1e-4 * gradient.amaxNumber().doubleValue(), name + " gradient " + entry.getKey());
                }
            }
            compared++;
        }
        assertTrue(compared > 100, "layers compared: " + compared);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= tolerance, what + " differs by " + difference + " (tolerance " + tolerance + ")");
    }
}
