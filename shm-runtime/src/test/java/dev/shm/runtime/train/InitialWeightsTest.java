package dev.shm.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.model.MNet;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.TNet;
import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import dev.shm.runtime.model.onnx.OnnxExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class InitialWeightsTest {
    @TempDir
    Path dir;

    @Test
    void loadsTheLayersTheFileHasAndListsTheRest() {
        ComputationGraph mNet = Networks.build(Networks.Kind.M_NET, 32, 3, 1e-4);
        Path file = dir.resolve("m.ckpt");
        Checkpoints.write(file, mNet, new CheckpointState("pre_train_m_net", "M_NET", 1, 1, "h", Double.NaN, 0, 32,
                new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25}, "test"));
        ComputationGraph whole = Networks.build(Networks.Kind.END_TO_END, 32, 4, 1e-4);

        InitialWeights.Report report = InitialWeights.load(file, whole);

        assertTrue(report.loaded().contains(MNet.RAW_ALPHA) && report.loaded().stream().allMatch(n -> n.startsWith("m_")),
                report.loaded().toString());
        assertTrue(report.random().contains("t_out") && report.random().stream().allMatch(n -> n.startsWith("t_")),
                report.random().toString());
        assertEquals(mNet.getLayer(MNet.RAW_ALPHA).getParam("W"), whole.getLayer(MNet.RAW_ALPHA).getParam("W"));
        assertTrue(report.describe().startsWith(report.loaded().size() + " layers loaded, "));
    }

    @Test
    void aLayerOfAnotherShapeOrAFileOfAnotherKindIsRefused() throws Exception {
        ComputationGraph other = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(32, 32, 3))
                .addLayer(MNet.RAW_ALPHA, new ConvolutionLayer.Builder(3, 3).nOut(2).build(), "in")
                .setOutputs(MNet.RAW_ALPHA).build());
        other.init();
        ComputationGraph mNet = Networks.build(Networks.Kind.M_NET, 32, 3, 1e-4);
        String message = assertThrows(ShmException.class,
                () -> InitialWeights.copy(Path.of("other.ckpt"), InitialWeights.parameters(other), mNet)).getMessage();
        assertTrue(message.contains("init_weight other.ckpt: layer m_out has parameter W of shape [2, 3, 3, 3] but this "
                + "phase's network needs [1, 16, 5, 5]"), message);

        Path unknown = Files.writeString(dir.resolve("model.bin"), "x");
        message = assertThrows(ShmException.class, () -> InitialWeights.load(unknown, mNet)).getMessage();
        assertTrue(message.contains("is neither a shm or MindSpore checkpoint, a shm export nor a MobileNetV2 model"), message);
        Path broken = Files.write(dir.resolve("model.onnx"), new byte[] {(byte) 0xff, 1, 2});
        message = assertThrows(ShmException.class, () -> InitialWeights.load(broken, mNet)).getMessage();
        assertTrue(message.contains("init_weight " + broken + " is not a readable ONNX model"), message);
    }

    @Test
    void anExportStartsANetworkThatInfersAsTheExportedOne() throws Exception {
        ComputationGraph trained = Networks.build(Networks.Kind.END_TO_END, 32, 3, 1e-3);
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray trimap = Nd4j.zeros(DataType.FLOAT, 2, 3, 32, 32);
        trimap.get(NDArrayIndex.all(), NDArrayIndex.point(2)).assign(1);
        trained.fit(new INDArray[] {image}, new INDArray[] {trimap, Nd4j.rand(DataType.FLOAT, 2, 4, 32, 32)});
        TNet.setBilinearKernels(trained);
        MeanStd stats = new MeanStd(1, new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25},
                new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25});
        Path onnx = Files.write(dir.resolve("shm_export.onnx"), OnnxExporter.export(trained, 1, 32, 11, stats.clip()));
        ComputationGraph started = Networks.build(Networks.Kind.END_TO_END, 32, 4, 1e-3);

        InitialWeights.Report report = InitialWeights.load(onnx, started);

        assertTrue(report.random().isEmpty(), report.random().toString());
        assertEquals(trained.getLayer("t_b3_1_dw").getParam("W"), started.getLayer("t_b3_1_dw").getParam("W"),
                "depthwise kernels back in DL4J's layout");
        INDArray expected = trained.feedForward(new INDArray[] {image}, false).get(Networks.ALPHA);
        INDArray actual = started.feedForward(new INDArray[] {image}, false).get(Networks.ALPHA);
        assertTrue(expected.equalsWithEps(actual, 1e-4), "folded batch norms infer as before");
    }
}
