package dev.shm.runtime.train;

import dev.shm.runtime.ShmException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.protobuf.CodedInputStream;

/**
 * A checkpoint of the MindSpore recipe ({@code semantic_hm_best.ckpt}, {@code init_weight.ckpt}): a protobuf
 * {@code Checkpoint} of {@code Value}s (field 1), each a {@code tag} (1, the parameter's name) and a
 * {@code TensorProto} (2: {@code dims} 1, {@code tensor_type} 2, {@code tensor_content} 3, little-endian). The
 * recipe's cells name the parameters ({@code t_net.feature.block_2.1.conv.3.weight}, {@code m_net.deconv_1.weight},
 * BN {@code gamma}/{@code beta}/{@code moving_mean}/{@code moving_variance}); {@link #recipeName} maps shm's layers
 * onto them. Convolution kernels are OIHW as in DL4J, transposed ones [in, out, kH, kW] as in DL4J, depthwise ones
 * [C, 1, kH, kW] where DL4J keeps [kH, kW, C, 1]. Optimiser moments and other cells' parameters are left out.
 */
final class MindSporeWeights {
    /** The wrappers a training script may have saved the network under, before {@code t_net.} or {@code m_net.}. */
    private static final Set<String> WRAPPERS = Set.of("network", "net", "backbone", "_backbone");
    private static final Pattern ENCODER_BLOCK = Pattern.compile("t_b(\\d)_(\\d+)_(expand|dw|project)(_bn)?");
    private static final Pattern DECODER_STAGE = Pattern.compile("t_d(\\d)_(conv|fuse)(_bn)?");
    private static final Pattern M_NET_ROW = Pattern.compile("m_([ed])(\\d)_(conv|bn|deconv)");
    private static final Map<String, Integer> BLOCK_PART = Map.of("expand", 0, "expand_bn", 1, "dw", 3, "dw_bn", 4,
            "project", 6, "project_bn", 7);

    private MindSporeWeights() {
    }

    /** Whether {@code file} is a MindSpore checkpoint: a {@code .ckpt} that is not a shm checkpoint (a zip). */
    static boolean isCheckpoint(Path file) {
        if (!file.getFileName().toString().endsWith(".ckpt") || !Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && !(head[0] == 'P' && head[1] == 'K');
        } catch (IOException e) {
            return false;
        }
    }

    /** Every float32 parameter of the network by its name after any wrapper, such as {@code t_net.last_conv.weight}. */
    static Map<String, INDArray> read(Path file) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream checkpoint = CodedInputStream.newInstance(in);
            checkpoint.setSizeLimit(Integer.MAX_VALUE);
            for (int tag = checkpoint.readTag(); tag != 0; tag = checkpoint.readTag()) {
                if (tag >>> 3 != 1) {
                    checkpoint.skipField(tag);
                    continue;
                }
                CodedInputStream value = CodedInputStream.newInstance(checkpoint.readByteBuffer());
                value.setSizeLimit(Integer.MAX_VALUE);
                String name = null;
                Tensor tensor = null;
                for (int field = value.readTag(); field != 0; field = value.readTag()) {
                    switch (field >>> 3) {
                        case 1 -> name = value.readStringRequireUtf8();
                        case 2 -> tensor = Tensor.read(value.readByteBuffer());
                        default -> value.skipField(field);
                    }
                }
                String parameter = name == null ? null : networkName(name);
                if (parameter != null && tensor != null && tensor.type().equalsIgnoreCase("Float32")) {
                    tensors.put(parameter, tensor.array());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ShmException("init_weight " + file + " is not a readable MindSpore checkpoint (" + e.getMessage()
                    + "); give the recipe's .ckpt as MindSpore's save_checkpoint wrote it", e);
        }
        if (tensors.isEmpty()) {
            throw new ShmException("init_weight " + file + " holds no float32 parameter of t_net or m_net; expected a "
                    + "checkpoint of the recipe's semantic human matting network");
        }
        return tensors;
    }

    /** The name without a wrapper ({@code network.t_net.x} is {@code t_net.x}); null for anything else. */
    static String networkName(String tag) {
        String name = tag;
        int dot = name.indexOf('.');
        if (dot > 0 && WRAPPERS.contains(name.substring(0, dot))) {
            name = name.substring(dot + 1);
        }
        return name.startsWith("t_net.") || name.startsWith("m_net.") ? name : null;
    }

    /** The recipe's cell for one of shm's layers ({@code t_b2_1_dw} is {@code t_net.feature.block_2.1.conv.3}). */
    static String recipeName(String layer) {
        switch (layer) {
            case "t_head_conv":
                return "t_net.feature.head_conv.0";
            case "t_head_bn":
                return "t_net.feature.head_conv.1";
            case "t_out":
                return "t_net.last_conv";
            case "m_out":
                return "m_net.conv";
            default:
                break;
        }
        Matcher block = ENCODER_BLOCK.matcher(layer);
        if (block.matches()) {
            int stage = Integer.parseInt(block.group(1));
            String inSequence = stage == 1 || stage == 7 ? "" : block.group(2) + ".";
            return "t_net.feature.block_" + stage + "." + inSequence + "conv."
                    + BLOCK_PART.get(block.group(3) + (block.group(4) == null ? "" : "_bn"));
        }
        Matcher decoder = DECODER_STAGE.matcher(layer);
        if (decoder.matches()) {
            int stage = Integer.parseInt(decoder.group(1));
            boolean bn = decoder.group(3) != null;
            return decoder.group(2).equals("conv") ? "t_net.s" + (stage + 1) + "_up_conv." + (bn ? 2 : 1)
                    : "t_net.s" + stage + "_fusion." + (bn ? 1 : 0);
        }
        Matcher row = M_NET_ROW.matcher(layer);
        if (row.matches()) {
            String n = row.group(2);
            return switch (row.group(3)) {
                case "deconv" -> "m_net.deconv_" + n;
                case "conv" -> "m_net." + (row.group(1).equals("e") ? "en" : "de") + "_conv_bn_relu_" + n + ".0";
                default -> "m_net." + (row.group(1).equals("e") ? "en" : "de") + "_conv_bn_relu_" + n + ".1";
            };
        }
        return null;
    }

    /** The tensors as parameters of {@code target}'s layers, by {@link #recipeName}, in DL4J's layouts. */
    static Map<String, Map<String, INDArray>> parameters(Map<String, INDArray> tensors, ComputationGraph target) {
        Map<String, Map<String, INDArray>> layers = new LinkedHashMap<>();
        for (Layer layer : target.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            String cell = recipeName(name);
            if (layer.numParams() == 0 || cell == null) {
                continue;
            }
            Map<String, INDArray> parameters = new HashMap<>();
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                INDArray variance = tensors.get(cell + ".moving_variance");
                putIfPresent(parameters, "gamma", tensors.get(cell + ".gamma"));
                putIfPresent(parameters, "beta", tensors.get(cell + ".beta"));
                putIfPresent(parameters, "mean", tensors.get(cell + ".moving_mean"));
                if (variance != null) {
                    parameters.put("log10stdev", Transforms.log(Transforms.sqrt(variance, true), 10, false));
                }
            } else {
                INDArray weights = tensors.get(cell + ".weight");
                if (weights != null && layer.conf().getLayer() instanceof DepthwiseConvolution2D) {
                    INDArray wanted = layer.getParam("W");
                    weights = weights.reshape(wanted.size(2), wanted.size(3), wanted.size(0), wanted.size(1))
                            .permute(2, 3, 0, 1).dup('c');
                }
                putIfPresent(parameters, "W", weights);
                putIfPresent(parameters, "b", tensors.get(cell + ".bias"));
            }
            if (!parameters.isEmpty()) {
                layers.put(name, parameters);
            }
        }
        return layers;
    }

    private static void putIfPresent(Map<String, INDArray> parameters, String key, INDArray value) {
        if (value != null) {
            parameters.put(key, value);
        }
    }

    /** One {@code TensorProto}. */
    private record Tensor(long[] dims, String type, ByteBuffer content) {
        static Tensor read(ByteBuffer bytes) throws IOException {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            List<Long> dims = new ArrayList<>();
            String type = "";
            ByteBuffer content = ByteBuffer.allocate(0);
            for (int field = in.readTag(); field != 0; field = in.readTag()) {
                switch (field >>> 3) {
                    case 1 -> {
                        if ((field & 7) == 2) {
                            int end = in.pushLimit(in.readRawVarint32());
                            while (in.getBytesUntilLimit() > 0) {
                                dims.add(in.readInt64());
                            }
                            in.popLimit(end);
                        } else {
                            dims.add(in.readInt64());
                        }
                    }
                    case 2 -> type = in.readStringRequireUtf8();
                    case 3 -> content = in.readByteBuffer();
                    default -> in.skipField(field);
                }
            }
            return new Tensor(dims.stream().mapToLong(Long::longValue).toArray(), type, content);
        }

        INDArray array() {
            float[] values = new float[content.remaining() / 4];
            content.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return dims.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, dims, 'c');
        }
    }
}
