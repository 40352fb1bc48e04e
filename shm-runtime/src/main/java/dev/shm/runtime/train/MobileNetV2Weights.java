package dev.shm.runtime.train;

import dev.shm.runtime.ShmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ImageNet-derived MobileNetV2 1.0 encoder weights as the npm package {@code nsfwjs} 4.4.0 (MIT) ships them in
 * {@code dist/models/mobilenet_v2/}: {@code model.min.js} (a TF.js layers model whose manifest lists each tensor's
 * Keras name, shape and uint8 quantisation, value = min + scale q) and {@code group1-shard1of1.min.js} (the quantised
 * bytes, base64, in the manifest's order). {@link #tNetParameters} renames them to T-Net's layers: Keras kernels are
 * HWIO, DL4J's convolution weights OIHW and its depthwise weights HWC1 like Keras'; Keras' batch norms use
 * epsilon 1e-3, shm's 1e-5, so the variance is raised by the difference to keep each layer's output.
 */
final class MobileNetV2Weights {
    static final String MODEL = "model.min.js";
    static final String SHARD = "group1-shard1of1.min.js";
    /** Where the model lies inside the npm package. */
    static final String PACKAGE_FOLDER = "package/dist/models/mobilenet_v2/";
    private static final Pattern TENSOR = Pattern.compile("\\{name:\"([^\"]+)\",shape:\\[([0-9,]*)],dtype:\"float32\","
            + "quantization:\\{min:([-+.0-9eE]+),scale:([-+.0-9eE]+),dtype:\"uint8\"}}");
    private static final Pattern BYTES = Pattern.compile("exports=\"([A-Za-z0-9+/=]+)\"");
    private static final double KERAS_EPSILON = 1e-3;
    private static final double SHM_EPSILON = 1e-5;
    /** T-Net's encoder blocks in Keras' order: block_1 is t_b2_0, ..., block_16 is t_b7_0. */
    private static final String[] BLOCKS = {"b2_0", "b2_1", "b3_0", "b3_1", "b3_2", "b4_0", "b4_1", "b4_2", "b4_3",
        "b5_0", "b5_1", "b5_2", "b6_0", "b6_1", "b6_2", "b7_0"};

    private MobileNetV2Weights() {
    }

    /**
     * Whether {@code path} is the model folder (or its {@code model.min.js}), or the package as the npm registry
     * serves it ({@code nsfwjs-4.4.0.tgz}), which a user can fetch without npm.
     */
    static boolean isModel(Path path) {
        if (isPackage(path)) {
            return true;
        }
        Path folder = Files.isDirectory(path) ? path : path.getParent();
        return folder != null && Files.isRegularFile(folder.resolve(MODEL)) && Files.isRegularFile(folder.resolve(SHARD));
    }

    private static boolean isPackage(Path path) {
        String name = path.getFileName().toString();
        return Files.isRegularFile(path) && (name.endsWith(".tgz") || name.endsWith(".tar.gz"));
    }

    /** Every tensor of the model, dequantised, by Keras name ({@code block_3_expand/kernel}). */
    static Map<String, INDArray> read(Path path) {
        Path folder = Files.isDirectory(path) ? path : path.getParent();
        Map<String, String> files;
        if (isPackage(path)) {
            folder = path;
            files = TarGz.texts(path, Set.of(PACKAGE_FOLDER + MODEL, PACKAGE_FOLDER + SHARD));
            if (files.size() < 2) {
                throw new ShmException("init_weight " + path + " holds no " + PACKAGE_FOLDER + MODEL + " and " + SHARD
                        + "; expected the npm package nsfwjs 4.4.0 (https://registry.npmjs.org/nsfwjs/-/nsfwjs-4.4.0.tgz)");
            }
            files = Map.of(MODEL, files.get(PACKAGE_FOLDER + MODEL), SHARD, files.get(PACKAGE_FOLDER + SHARD));
        } else {
            files = Map.of(MODEL, text(folder.resolve(MODEL)), SHARD, text(folder.resolve(SHARD)));
        }
        String model = files.get(MODEL);
        Matcher bytes = BYTES.matcher(files.get(SHARD));
        if (!bytes.find()) {
            throw new ShmException("init_weight " + folder.resolve(SHARD) + " holds no base64 weights; expected the file "
                    + "of npm package nsfwjs 4.4.0, dist/models/mobilenet_v2/" + SHARD);
        }
        byte[] quantised = Base64.getDecoder().decode(bytes.group(1));
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        Matcher tensor = TENSOR.matcher(model);
        int offset = 0;
        while (tensor.find()) {
            String[] dims = tensor.group(2).split(",");
            long[] shape = new long[dims.length];
            int length = 1;
            for (int i = 0; i < dims.length; i++) {
                shape[i] = Long.parseLong(dims[i]);
                length *= (int) shape[i];
            }
            if (offset + length > quantised.length) {
                throw new ShmException("init_weight " + folder + ": the manifest needs more bytes than "
                        + folder.resolve(SHARD) + " holds; the two files are of different models");
            }
            tensors.put(tensor.group(1), dequantise(quantised, offset, length, Double.parseDouble(tensor.group(3)),
                    Double.parseDouble(tensor.group(4))).reshape('c', shape));
            offset += length;
        }
        if (tensors.isEmpty() || offset != quantised.length) {
            throw new ShmException("init_weight " + folder + ": the manifest in " + MODEL + " describes " + offset
                    + " bytes of uint8 weights but " + SHARD + " holds " + quantised.length + "; expected the "
                    + "MobileNetV2 folder of npm package nsfwjs 4.4.0 (dist/models/mobilenet_v2)");
        }
        return tensors;
    }

    static INDArray dequantise(byte[] quantised, int offset, int length, double min, double scale) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) (min + scale * (quantised[offset + i] & 0xFF));
        }
        return Nd4j.createFromArray(values);
    }

    /** The Keras tensors that T-Net's encoder uses, renamed and laid out as T-Net's parameters. */
    static Map<String, Map<String, INDArray>> tNetParameters(Map<String, INDArray> keras) {
        Map<String, Map<String, INDArray>> layers = new LinkedHashMap<>();
        convolution(layers, keras, "Conv1", "t_head_conv");
        batchNorm(layers, keras, "bn_Conv1", "t_head_bn");
        depthwise(layers, keras, "expanded_conv_depthwise", "t_b1_0_dw");
        batchNorm(layers, keras, "expanded_conv_depthwise_BN", "t_b1_0_dw_bn");
        convolution(layers, keras, "expanded_conv_project", "t_b1_0_project");
        batchNorm(layers, keras, "expanded_conv_project_BN", "t_b1_0_project_bn");
        for (int k = 1; k <= BLOCKS.length; k++) {
            String keras_ = "block_" + k + "_";
            String shm = "t_" + BLOCKS[k - 1] + "_";
            convolution(layers, keras, keras_ + "expand", shm + "expand");
            batchNorm(layers, keras, keras_ + "expand_BN", shm + "expand_bn");
            depthwise(layers, keras, keras_ + "depthwise", shm + "dw");
            batchNorm(layers, keras, keras_ + "depthwise_BN", shm + "dw_bn");
            convolution(layers, keras, keras_ + "project", shm + "project");
            batchNorm(layers, keras, keras_ + "project_BN", shm + "project_bn");
        }
        return layers;
    }

    private static void convolution(Map<String, Map<String, INDArray>> layers, Map<String, INDArray> keras, String from,
            String to) {
        layers.put(to, Map.of("W", tensor(keras, from + "/kernel").permute(3, 2, 0, 1).dup('c')));
    }

    private static void depthwise(Map<String, Map<String, INDArray>> layers, Map<String, INDArray> keras, String from,
            String to) {
        layers.put(to, Map.of("W", tensor(keras, from + "/depthwise_kernel")));
    }

    private static void batchNorm(Map<String, Map<String, INDArray>> layers, Map<String, INDArray> keras, String from,
            String to) {
        INDArray variance = tensor(keras, from + "/moving_variance").castTo(DataType.DOUBLE)
                .addi(KERAS_EPSILON - SHM_EPSILON);
        INDArray log10Std = org.nd4j.linalg.ops.transforms.Transforms.log(variance, 10, false).muli(0.5)
                .castTo(DataType.FLOAT);
        layers.put(to, Map.of("gamma", tensor(keras, from + "/gamma"), "beta", tensor(keras, from + "/beta"),
                "mean", tensor(keras, from + "/moving_mean"), "log10stdev", log10Std));
    }

    private static INDArray tensor(Map<String, INDArray> keras, String name) {
        INDArray tensor = keras.get(name);
        if (tensor == null) {
            throw new ShmException("init_weight: the MobileNetV2 model has no tensor '" + name + "'; expected npm "
                    + "package nsfwjs 4.4.0's dist/models/mobilenet_v2");
        }
        return tensor;
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ShmException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
