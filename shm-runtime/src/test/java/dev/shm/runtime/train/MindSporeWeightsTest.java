package dev.shm.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.TNet;
import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.CodedOutputStream;

class MindSporeWeightsTest {
    @TempDir
    Path dir;

    @Test
    void shmLayersAreTheRecipesCellsAsItsSourceNamesThem() {
        assertEquals("t_net.feature.head_conv.0", MindSporeWeights.recipeName("t_head_conv"));
        assertEquals("t_net.feature.head_conv.1", MindSporeWeights.recipeName("t_head_bn"));
        assertEquals("t_net.feature.block_1.conv.0", MindSporeWeights.recipeName("t_b1_0_expand"), "not a sequence");
        assertEquals("t_net.feature.block_2.1.conv.3", MindSporeWeights.recipeName("t_b2_1_dw"));
        assertEquals("t_net.feature.block_4.3.conv.7", MindSporeWeights.recipeName("t_b4_3_project_bn"));
        assertEquals("t_net.feature.block_7.conv.4", MindSporeWeights.recipeName("t_b7_0_dw_bn"), "not a sequence");
        assertEquals("t_net.s5_up_conv.1", MindSporeWeights.recipeName("t_d4_conv"));
        assertEquals("t_net.s5_up_conv.2", MindSporeWeights.recipeName("t_d4_conv_bn"));
        assertEquals("t_net.s1_fusion.0", MindSporeWeights.recipeName("t_d1_fuse"));
        assertEquals("t_net.s1_fusion.1", MindSporeWeights.recipeName("t_d1_fuse_bn"));
        assertEquals("t_net.last_conv", MindSporeWeights.recipeName("t_out"));
        assertEquals("m_net.en_conv_bn_relu_2.0", MindSporeWeights.recipeName("m_e2_conv"));
        assertEquals("m_net.de_conv_bn_relu_4.1", MindSporeWeights.recipeName("m_d4_bn"));
        assertEquals("m_net.deconv_3", MindSporeWeights.recipeName("m_d3_deconv"));
        assertEquals("m_net.conv", MindSporeWeights.recipeName("m_out"));
        assertNull(MindSporeWeights.recipeName("t_d2_bilinear"));
        assertEquals("t_net.last_conv.bias", MindSporeWeights.networkName("network.t_net.last_conv.bias"));
        assertNull(MindSporeWeights.networkName("moment1.t_net.last_conv.bias"), "optimiser state");
        assertNull(MindSporeWeights.networkName("global_step"));
    }

    @Test
    void everyTrainedLayerOfTheWholeNetworkHasARecipeCell() {
        ComputationGraph whole = Networks.build(Networks.Kind.END_TO_END, 32, 1, 1e-4);
        for (Layer layer : whole.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() > 0 && !TNet.isFixed(name)) {
                assertNotNull(MindSporeWeights.recipeName(name), name);
            }
        }
    }

    @Test
    void aRecipeCheckpointStartsEveryLayerWithItsWeights() throws IOException {
        ComputationGraph trained = Networks.build(Networks.Kind.END_TO_END, 32, 5, 1e-4);
        for (Layer layer : trained.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                layer.getParam("mean").assign(Nd4j.rand(DataType.FLOAT, layer.getParam("mean").shape()));
                layer.getParam("log10stdev").assign(Nd4j.rand(DataType.FLOAT, layer.getParam("mean").shape()).muli(-0.5));
            }
        }
        Path file = dir.resolve("semantic_hm_best.ckpt");
        Files.write(file, recipeCheckpoint(trained));
        assertTrue(MindSporeWeights.isCheckpoint(file));

        ComputationGraph fresh = Networks.build(Networks.Kind.END_TO_END, 32, 6, 1e-4);
        InitialWeights.Report report = InitialWeights.load(file, fresh);

        assertEquals(java.util.List.of(), report.random());
        for (Layer layer : trained.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> parameter : layer.paramTable().entrySet()) {
                INDArray loaded = fresh.getLayer(name).getParam(parameter.getKey());
                assertTrue(parameter.getValue().equalsWithEps(loaded, 1e-6), name + " " + parameter.getKey());
            }
        }
    }

    @Test
    void aShmCheckpointIsNotTakenForTheRecipesAndBrokenFilesAreNamed() throws IOException {
        Path shm = dir.resolve("shm.ckpt");
        Checkpoints.write(shm, Networks.build(Networks.Kind.M_NET, 32, 1, 1e-4), new CheckpointState("pre_train_m_net",
                "M_NET", 1, 1, "h", Double.NaN, 0, 32, new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25},
                "test"));
        assertFalse(MindSporeWeights.isCheckpoint(shm));
        Path broken = Files.write(dir.resolve("broken.ckpt"), new byte[] {0x0a, 0x7f, 1, 2});
        ShmException e = assertThrows(ShmException.class, () -> MindSporeWeights.read(broken));
        assertTrue(e.getMessage().startsWith("init_weight " + broken + " is not a readable MindSpore checkpoint"),
                e.getMessage());
    }

    /** The network's parameters as the recipe's save_checkpoint writes them: names, layouts and protobuf. */
    private static byte[] recipeCheckpoint(ComputationGraph graph) throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            String cell = MindSporeWeights.recipeName(name);
            if (layer.numParams() == 0 || cell == null) {
                continue;
            }
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                tensors.put(cell + ".gamma", layer.getParam("gamma"));
                tensors.put(cell + ".beta", layer.getParam("beta"));
                tensors.put(cell + ".moving_mean", layer.getParam("mean"));
                INDArray stdev = org.nd4j.linalg.ops.transforms.Transforms.pow(
                        Nd4j.valueArrayOf(layer.getParam("log10stdev").shape(), 10f), layer.getParam("log10stdev"), true);
                tensors.put(cell + ".moving_variance", stdev.mul(stdev));
            } else {
                INDArray weights = layer.getParam("W");
                if (layer.conf().getLayer() instanceof DepthwiseConvolution2D) {
                    weights = weights.permute(2, 3, 0, 1).dup('c');
                }
                tensors.put("network." + cell + ".weight", weights);
                if (layer.paramTable().containsKey("b")) {
                    tensors.put(cell + ".bias", layer.getParam("b"));
                }
                tensors.put("moment1." + cell + ".weight", weights.mul(0));
            }
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        CodedOutputStream checkpoint = CodedOutputStream.newInstance(file);
        for (Map.Entry<String, INDArray> tensor : tensors.entrySet()) {
            checkpoint.writeByteArray(1, value(tensor.getKey(), tensor.getValue()));
        }
        checkpoint.flush();
        return file.toByteArray();
    }

    private static byte[] value(String tag, INDArray array) throws IOException {
        ByteArrayOutputStream tensorBytes = new ByteArrayOutputStream();
        CodedOutputStream tensor = CodedOutputStream.newInstance(tensorBytes);
        for (long dim : array.shape()) {
            tensor.writeInt64(1, dim);
        }
        tensor.writeString(2, "Float32");
        float[] values = array.dup('c').data().asFloat();
        ByteBuffer content = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        content.asFloatBuffer().put(values);
        tensor.writeByteArray(3, content.array());
        tensor.flush();
        ByteArrayOutputStream valueBytes = new ByteArrayOutputStream();
        CodedOutputStream value = CodedOutputStream.newInstance(valueBytes);
        value.writeString(1, tag);
        value.writeByteArray(2, tensorBytes.toByteArray());
        value.flush();
        return valueBytes.toByteArray();
    }
}
