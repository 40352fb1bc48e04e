package dev.shm.runtime.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.engine.Engines;
import dev.shm.runtime.matte.OnnxRuntimePredictor;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.TNet;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OnnxExporterTest {
    private static final MeanStd STATS = new MeanStd(0, new double[] {0.4, 0.45, 0.5}, new double[] {0.25, 0.24, 0.26},
            null, null);
    private static ComputationGraph graph;

    /** A network whose batch-norm statistics are not the identity, so the export of every parameter is exercised. */
    @BeforeAll
    static void network() {
        graph = Networks.build(Networks.Kind.END_TO_END, 32, 7, 1e-4);
        Nd4j.getRandom().setSeed(3);
        for (Layer layer : graph.getLayers()) {
            if (layer.paramTable().containsKey("gamma")) {

                layer.getParam("beta").assign(Nd4j.randn(DataType.FLOAT, layer.getParam("beta").shape()).muli(0.1));
                layer.getParam("mean").assign(Nd4j.randn(DataType.FLOAT, layer.getParam("mean").shape()).muli(0.1));
                // standard deviations from 0.3 to 1, where the eps DL4J adds at inference matters, and gammas of
                // the same size so activations keep their scale through the 60 layers
                INDArray log10std = Nd4j.rand(DataType.FLOAT, layer.getParam("log10stdev").shape()).muli(-0.5);
                layer.getParam("log10stdev").assign(log10std);
                layer.getParam("gamma").assign(org.nd4j.linalg.ops.transforms.Transforms.pow(
                        Nd4j.valueArrayOf(log10std.shape(), 10f), log10std, true)
                        .muli(Nd4j.rand(DataType.FLOAT, log10std.shape()).addi(0.5)));
            }
        }
    }

    @Test
    void aModelOfAnotherSizeIsRefusedNamingBothSizes(@TempDir Path dir) throws IOException {
        Path model = Files.write(dir.resolve("small.onnx"), OnnxExporter.export(graph, 1, 32, 11, STATS.clip()));
        ShmException e = assertThrows(ShmException.class,
                () -> Engines.open(model, Engines.Engine.AUTO, 64, dir.resolve("test.txt"), Progress.silent("eval")));
        assertEquals("The ONNX model " + model + " takes 32x32 inputs but test.size is 64; export it at that size "
                + "or set test.size: 32", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 11, 13})
    void onnxRuntimeMatchesTheDl4jNetwork(int opset) {
        byte[] model = OnnxExporter.export(graph, 1, 32, opset, STATS.clip());
        double worstAlpha = 0;
        double worstLogits = 0;
        try (OnnxRuntimePredictor onnx = OnnxRuntimePredictor.open(model, "test model")) {
            assertEquals(0.4, onnx.normalisation().mean()[0], 1e-12);
            Random random = new Random(opset);
            for (int trial = 0; trial < 3; trial++) {
                float[] image = new float[3 * 32 * 32];
                for (int i = 0; i < image.length; i++) {
                    image[i] = (float) random.nextGaussian();
                }
                INDArray input = Nd4j.create(image, new long[] {1, 3, 32, 32}, 'c');
                Map<String, INDArray> activations = graph.feedForward(input, false);
                float[] logits = activations.get(TNet.LOGITS).dup().data().asFloat();
                float[] alpha = activations.get(Networks.ALPHA).dup().data().asFloat();
                float[][] out = onnx.run(image, 32);
                for (int i = 0; i < logits.length; i++) {
                    worstLogits = Math.max(worstLogits, Math.abs(logits[i] - out[0][i]));
                }
                for (int i = 0; i < alpha.length; i++) {
                    worstAlpha = Math.max(worstAlpha, Math.abs(Math.min(1f, Math.max(0f, alpha[i])) - out[1][i]));
                }
            }
        }
        assertTrue(worstAlpha < 1e-4, "largest alpha difference " + worstAlpha + ", logits " + worstLogits);
        assertTrue(worstLogits < 1e-4, "largest logit difference " + worstLogits);
    }

    @Test
    void opsetOutsideWhatAtcConvertsIsRefused() {
        ShmException e = assertThrows(ShmException.class, () -> OnnxExporter.export(graph, 1, 32, 14, STATS.clip()));
        assertTrue(e.getMessage().contains("outside 9..13"), e.getMessage());
    }
}
