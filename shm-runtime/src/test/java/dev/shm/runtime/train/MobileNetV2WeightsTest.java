package dev.shm.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.model.Networks;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class MobileNetV2WeightsTest {
    @TempDir
    Path dir;

    /** Writes a model folder in nsfwjs' format: tensors {name, shape, min, scale} with bytes 0, 1, 2, ... each. */
    private Path model(List<Object[]> tensors) throws Exception {
        StringBuilder manifest = new StringBuilder("!function(e){}(function(){return{modelTopology:{},weightsManifest:"
                + "[{paths:[\"group1-shard1of1\"],weights:[");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Object[] tensor : tensors) {
            long[] shape = (long[]) tensor[1];
            long length = 1;
            StringBuilder dims = new StringBuilder();
            for (long dim : shape) {
                length *= dim;
                dims.append(dims.length() == 0 ? "" : ",").append(dim);
            }
            manifest.append(manifest.charAt(manifest.length() - 1) == '[' ? "" : ",").append("{name:\"").append(tensor[0])
                    .append("\",shape:[").append(dims).append("],dtype:\"float32\",quantization:{min:").append(tensor[2])
                    .append(",scale:").append(tensor[3]).append(",dtype:\"uint8\"}}");
            for (long i = 0; i < length; i++) {
                bytes.write((int) (i % 256));
            }
        }
        manifest.append("]}]}});");
        Files.writeString(dir.resolve(MobileNetV2Weights.MODEL), manifest);
        Files.writeString(dir.resolve(MobileNetV2Weights.SHARD), "!function(e){}(function(){module.exports=\""
                + Base64.getEncoder().encodeToString(bytes.toByteArray()) + "\"});");
        return dir;
    }

    @Test
    void dequantisesEachTensorFromItsMinAndScale() throws Exception {
        Path folder = model(List.of(new Object[] {"a/kernel", new long[] {2, 2}, "-.5", ".25"},
                new Object[] {"b/gamma", new long[] {3}, "1e0", "2"}));
        assertTrue(MobileNetV2Weights.isModel(folder));
        Map<String, INDArray> tensors = MobileNetV2Weights.read(folder);
        assertEquals(List.of(-0.5, -0.25, 0.0, 0.25), List.of(tensors.get("a/kernel").getDouble(0, 0),
                tensors.get("a/kernel").getDouble(0, 1), tensors.get("a/kernel").getDouble(1, 0),
                tensors.get("a/kernel").getDouble(1, 1)), "min + scale q with q = 0, 1, 2, 3");
        assertEquals(5.0, tensors.get("b/gamma").getDouble(2), 1e-9, "1 + 2 * 2");
    }

    @Test
    void thePackageAsTheNpmRegistryServesItIsReadWithoutUnpacking() throws Exception {
        List<Object[]> tensors = List.<Object[]>of(new Object[] {"a/kernel", new long[] {2, 2}, "-.5", ".25"});
        Path folder = model(tensors);
        Path inside = Files.createDirectories(dir.resolve("pack/" + MobileNetV2Weights.PACKAGE_FOLDER));
        Files.move(folder.resolve(MobileNetV2Weights.MODEL), inside.resolve(MobileNetV2Weights.MODEL));
        Files.move(folder.resolve(MobileNetV2Weights.SHARD), inside.resolve(MobileNetV2Weights.SHARD));
        Files.writeString(dir.resolve("pack/package/README.md"), "another file first");
        Path archive = dir.resolve("nsfwjs-4.4.0.tgz");
        Process tar = new ProcessBuilder("tar", "czf", archive.toString(), "-C", dir.resolve("pack").toString(),
                "package/README.md", "package/dist").inheritIO().start();
        assertEquals(0, tar.waitFor());

        assertTrue(MobileNetV2Weights.isModel(archive));
        assertEquals(0.25, MobileNetV2Weights.read(archive).get("a/kernel").getDouble(1, 1), 1e-9);
        Path empty = dir.resolve("other.tgz");
        assertEquals(0, new ProcessBuilder("tar", "czf", empty.toString(), "-C", dir.resolve("pack").toString(),
                "package/README.md").start().waitFor());
        ShmException e = assertThrows(ShmException.class, () -> MobileNetV2Weights.read(empty));
        assertTrue(e.getMessage().contains("registry.npmjs.org/nsfwjs/-/nsfwjs-4.4.0.tgz"), e.getMessage());
    }

    @Test
    void theEncoderOfTNetIsLoadedWithKerasLayoutsTurnedIntoDl4js() throws Exception {
        ComputationGraph tNet = Networks.build(Networks.Kind.T_NET, 32, 1, 1e-3);
        Map<String, String> kerasOf = Map.of("t_head_conv", "Conv1", "t_head_bn", "bn_Conv1", "t_b1_0_dw",
                "expanded_conv_depthwise", "t_b1_0_dw_bn", "expanded_conv_depthwise_BN", "t_b1_0_project",
                "expanded_conv_project", "t_b1_0_project_bn", "expanded_conv_project_BN");
        String[] blocks = {"b2_0", "b2_1", "b3_0", "b3_1", "b3_2", "b4_0", "b4_1", "b4_2", "b4_3", "b5_0", "b5_1", "b5_2",
            "b6_0", "b6_1", "b6_2", "b7_0"};
        java.util.List<Object[]> tensors = new java.util.ArrayList<>();
        for (var layer : tNet.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            String keras = kerasOf.get(name);
            for (int k = 0; k < blocks.length && keras == null; k++) {
                String prefix = "t_" + blocks[k] + "_";
                if (name.startsWith(prefix)) {
                    keras = "block_" + (k + 1) + "_" + name.substring(prefix.length()).replace("dw", "depthwise")
                            .replace("_bn", "_BN");
                }
            }
            if (keras == null) {
                continue;
            }
            if (name.endsWith("_bn")) {
                long channels = layer.getParam("gamma").length();
                for (String part : new String[] {"gamma", "beta", "moving_mean", "moving_variance"}) {
                    tensors.add(new Object[] {keras + "/" + part, new long[] {channels}, "0.5", ".01"});
                }
            } else if (name.endsWith("_dw")) {
                tensors.add(new Object[] {keras + "/depthwise_kernel", layer.getParam("W").shape(), "-1", ".01"});
            } else {
                long[] oihw = layer.getParam("W").shape();
                tensors.add(new Object[] {keras + "/kernel", new long[] {oihw[2], oihw[3], oihw[1], oihw[0]}, "-1", ".01"});
            }
        }

        InitialWeights.Report report = InitialWeights.load(model(tensors), tNet);

        assertTrue(report.random().contains("t_b1_0_expand") && report.random().contains("t_out")
                && report.random().stream().noneMatch(n -> n.startsWith("t_b2")), report.random().toString());
        assertEquals(6 + 16 * 6, report.loaded().size());
        INDArray head = tNet.getLayer("t_head_conv").getParam("W");
        // Keras index [h=0, w=1, i=2, o=0] is byte ((0 * 3 + 1) * 3 + 2) * 32 + 0 = 160
        assertEquals(-1 + 0.01 * 160, head.getDouble(0, 2, 0, 1), 1e-6, "HWIO element at OIHW [0, 2, 0, 1]");
        assertEquals(0.5 * Math.log10(0.5 + 0.01 * 1 + 1e-3 - 1e-5), tNet.getLayer("t_head_bn").getParam("log10stdev")
                .getDouble(1), 1e-6, "variance raised by Keras' larger epsilon");
    }

    @Test
    void aManifestThatDoesNotMatchItsBytesIsRefused() throws Exception {
        Path folder = model(List.<Object[]>of(new Object[] {"a/kernel", new long[] {4}, "0", "1"}));
        Files.writeString(folder.resolve(MobileNetV2Weights.SHARD), "module.exports=\"AAE=\"");
        String message = assertThrows(ShmException.class, () -> MobileNetV2Weights.read(folder)).getMessage();
        assertTrue(message.contains("needs more bytes than"), message);
    }
}
