package dev.shm.runtime.model.onnx;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.matte.ModelSpec;
import dev.shm.runtime.matte.Normalisation;
import dev.shm.runtime.model.ChannelSoftmax;
import dev.shm.runtime.model.CompositionVertex;
import dev.shm.runtime.model.FusionVertex;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.TNet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Writes the end-to-end network as a standard ONNX model with a static input {@code input} of 1x3xSxS (the
 * normalised image) and two outputs: {@code trimap_logits} (1x3xSxS, classes background, unknown, foreground) and
 * {@code alpha} (1x1xSxS, the fused matte clamped to [0, 1]). Only operators of ONNX opset 9-13 that Ascend's ATC
 * converts are used: Conv (grouped for depthwise and the fixed bilinear smoothing), ConvTranspose,
 * BatchNormalization, Relu, Clip, Add, Mul, Concat, MaxPool, Resize (nearest) or Upsample (opset 9), Transpose,
 * Softmax and Split. The channel softmax is Transpose - Softmax(last axis) - Transpose, because before opset 13
 * Softmax flattens every axis from the given one.
 */
public final class OnnxExporter {
    public static final String INPUT = ModelSpec.INPUT;
    public static final String TRIMAP_OUTPUT = "trimap_logits";
    public static final String ALPHA_OUTPUT = ModelSpec.ALPHA;
    public static final int MIN_OPSET = 9;
    public static final int MAX_OPSET = 13;

    private final List<Onnx.NodeProto> nodes = new ArrayList<>();
    private final List<Onnx.TensorProto> initializers = new ArrayList<>();
    private final int opset;

    private OnnxExporter(int opset) {
        this.opset = opset;
    }

    /** Serialises {@code graph} (an end-to-end network) for inputs of {@code batch} x 3 x {@code size} x {@code size}. */
    public static byte[] export(ComputationGraph graph, int batch, int size, int opset, Normalisation normalisation) {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new ShmException("ONNX opset " + opset + " is outside " + MIN_OPSET + ".." + MAX_OPSET
                    + ", the range Ascend's ATC converts; set export opset within it");
        }
        return new OnnxExporter(opset).build(graph, batch, size).toBuilder()
                .addMetadataProps(entry(ModelSpec.MEAN_KEY, Normalisation.join(normalisation.mean())))
                .addMetadataProps(entry(ModelSpec.STD_KEY, Normalisation.join(normalisation.std())))
                .build().toByteArray();
    }

    private Onnx.ModelProto build(ComputationGraph graph, int batch, int size) {
        ComputationGraphConfiguration configuration = graph.getConfiguration();
        if (!configuration.getNetworkInputs().equals(List.of(Networks.IMAGE))
                || !configuration.getVertices().containsKey(Networks.ALPHA)) {
            throw new ShmException("Only end-to-end networks (image in, trimap and alpha out) can be exported; this "
                    + "checkpoint's network has inputs " + configuration.getNetworkInputs());
        }
        for (String name : configuration.getTopologicalOrderStr()) {
            GraphVertex vertex = configuration.getVertices().get(name);
            if (vertex == null) {
                continue;
            }
            List<String> inputs = configuration.getVertexInputs().get(name);
            emit(name, vertex, inputs, graph);
        }
        node("Identity", List.of(tensorOf(TNet.LOGITS)), TRIMAP_OUTPUT, TRIMAP_OUTPUT, Map.of());
        clip(tensorOf(Networks.ALPHA), ALPHA_OUTPUT, 0f, 1f);

        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("shm")
                .addAllNode(nodes).addAllInitializer(initializers)
                .addInput(valueInfo(INPUT, batch, 3, size, size))
                .addOutput(valueInfo(TRIMAP_OUTPUT, batch, 3, size, size))
                .addOutput(valueInfo(ALPHA_OUTPUT, batch, 1, size, size));
        return Onnx.ModelProto.newBuilder()
                .setIrVersion(opset >= 13 ? 7 : 6)
                .setProducerName("shm")
                .setProducerVersion(dev.shm.runtime.Version.get())
                .setDocString("Semantic Human Matting: input = normalised RGB image NCHW; outputs trimap_logits "
                        + "(background, unknown, foreground) and alpha in [0, 1]")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(g)
                .build();
    }

    private void emit(String name, GraphVertex vertex, List<String> inputs, ComputationGraph graph) {
        if (vertex instanceof LayerVertex layerVertex) {
            var conf = layerVertex.getLayerConf().getLayer();
            Layer layer = graph.getLayer(name);
            String in = tensorOf(inputs.get(0));
            if (conf instanceof CnnLossLayer) {
                return;
            }
            if (conf instanceof DepthwiseConvolution2D dw) {
                INDArray w = layer.getParam("W");
                INDArray weights = w.permute(2, 3, 0, 1).dup('c').reshape(w.size(2) * w.size(3), 1, w.size(0), w.size(1));
                conv(name, in, weights, null, dw.getKernelSize(), dw.getStride(), dw.getPadding(), (int) w.size(2));
                return;
            }
            if (conf instanceof Deconvolution2D deconv) {
                int[] k = deconv.getKernelSize();
                int[] s = deconv.getStride();
                node("ConvTranspose", List.of(in, weight(name + "_W", layer.getParam("W"))), name, name, Map.of(
                        "kernel_shape", ints(k[0], k[1]), "strides", ints(s[0], s[1]),
                        "pads", transposedPads(name, deconv, graph.getConfiguration())));
                return;
            }
            if (conf instanceof Cropping2D) {
                if (!(graph.getLayer(inputs.get(0)).conf().getLayer() instanceof Deconvolution2D)) {
                    throw new ShmException("Layer " + name + ": only a crop of a transposed convolution is exported");
                }
                // folded into the pads of the transposed convolution it reads
                node("Identity", List.of(in), name, name, Map.of());
                return;
            }
            if (conf instanceof ConvolutionLayer c) {
                INDArray bias = c.hasBias() ? layer.getParam("b") : null;
                conv(name, in, layer.getParam("W"), bias, c.getKernelSize(), c.getStride(), c.getPadding(), 1);
                return;
            }
            if (conf instanceof BatchNormalization bn) {
                batchNorm(name, in, layer, bn);
                return;
            }
            if (conf instanceof Upsampling2D up) {
                upsample(name, in, up.getSize());
                return;
            }
            if (conf instanceof SubsamplingLayer pool) {
                if (pool.getPoolingType() != org.deeplearning4j.nn.conf.layers.PoolingType.MAX) {
                    throw new ShmException("Layer " + name + ": only max pooling is exported");
                }
                int[] k = pool.getKernelSize();
                int[] s = pool.getStride();
                int[] p = pool.getPadding();
                node("MaxPool", List.of(in), name, name, Map.of("kernel_shape", ints(k[0], k[1]),
                        "strides", ints(s[0], s[1]), "pads", ints(p[0], p[1], p[0], p[1])));
                return;
            }
            if (conf instanceof ActivationLayer activation) {
                String op = activationOf(activation.getActivationFn());
                if ("Relu".equals(op)) {
                    node("Relu", List.of(in), name, name, Map.of());
                } else if ("Relu6".equals(op)) {
                    clip(in, name, 0f, 6f);
                } else {
                    node("Identity", List.of(in), name, name, Map.of());
                }
                return;
            }
            if (conf instanceof ChannelSoftmax) {
                node("Transpose", List.of(in), name + "_nhwc", name + "_nhwc", Map.of("perm", ints(0, 2, 3, 1)));
                node("Softmax", List.of(name + "_nhwc"), name + "_softmax", name + "_softmax", Map.of("axis", ints(3)));
                node("Transpose", List.of(name + "_softmax"), name, name, Map.of("perm", ints(0, 3, 1, 2)));
                return;
            }
            throw new ShmException("Layer " + name + " (" + conf.getClass().getSimpleName() + ") has no ONNX export");
        }
        if (vertex instanceof ElementWiseVertex) {
            node("Add", List.of(tensorOf(inputs.get(0)), tensorOf(inputs.get(1))), name, name, Map.of());
            return;
        }
        if (vertex instanceof MergeVertex) {
            List<String> all = new ArrayList<>();
            for (String input : inputs) {
                all.add(tensorOf(input));
            }
            node("Concat", all, name, name, Map.of("axis", ints(1)));
            return;
        }
        if (vertex instanceof FusionVertex) {
            String probabilities = tensorOf(inputs.get(0));
            String raw = tensorOf(inputs.get(1));
            Map<String, Object> splitAttributes = new HashMap<>();
            splitAttributes.put("axis", ints(1));
            if (opset < 13) {
                splitAttributes.put("split", ints(1, 1, 1));
                nodes.add(nodeProto("Split", List.of(probabilities),
                        List.of(name + "_background", name + "_unknown", name + "_foreground"), name + "_split",
                        splitAttributes));
            } else {
                String sizes = constantInts(name + "_split_sizes", 1, 1, 1);
                nodes.add(nodeProto("Split", List.of(probabilities, sizes),
                        List.of(name + "_background", name + "_unknown", name + "_foreground"), name + "_split",
                        splitAttributes));
            }
            node("Mul", List.of(name + "_unknown", raw), name + "_unknown_alpha", name + "_mul", Map.of());
            node("Add", List.of(name + "_foreground", name + "_unknown_alpha"), tensorOf(name), name, Map.of());
            return;
        }
        if (vertex instanceof CompositionVertex) {
            return;
        }
        throw new ShmException("Graph vertex " + name + " (" + vertex.getClass().getSimpleName() + ") has no ONNX export");
    }

    private void conv(String name, String in, INDArray weights, INDArray bias, int[] kernel, int[] stride, int[] pad,
            int group) {
        List<String> inputs = new ArrayList<>(List.of(in, weight(name + "_W", weights)));
        if (bias != null) {
            inputs.add(weight(name + "_b", bias.reshape(bias.length())));
        }
        node("Conv", inputs, name, name, Map.of("kernel_shape", ints(kernel[0], kernel[1]), "strides",
                ints(stride[0], stride[1]), "pads", ints(pad[0], pad[1], pad[0], pad[1]), "group", ints(group)));
    }

    /**
     * DL4J's inference BN, y = gamma (x - mean) / sqrt(var + eps) + beta, with var = (10^log10stdev)^2 when the layer
     * keeps the log of the standard deviation (its default), folded
     * in float64 into scale = gamma / std and shift = beta - mean * scale, then written as an ONNX BatchNormalization
     * with mean 0 and variance 1 - epsilon. Writing var = std^2 - eps instead loses the precision of channels whose
     * std is near sqrt(eps) to cancellation.
     */
    private void batchNorm(String name, String in, Layer layer, BatchNormalization bn) {
        double eps = bn.getEps();
        INDArray std;
        if (bn.isUseLogStd()) {
            INDArray stored = Transforms.exp(layer.getParam("log10stdev").castTo(DataType.DOUBLE).mul(Math.log(10)), false);
            std = Transforms.sqrt(stored.mul(stored).addi(eps), false);
        } else {
            std = Transforms.sqrt(layer.getParam("var").castTo(DataType.DOUBLE).add(eps), false);
        }
        INDArray scale = flat(layer.getParam("gamma").castTo(DataType.DOUBLE)).div(flat(std));
        INDArray shift = flat(layer.getParam("beta").castTo(DataType.DOUBLE))
                .sub(flat(layer.getParam("mean").castTo(DataType.DOUBLE)).mul(scale));
        long channels = scale.length();
        node("BatchNormalization", List.of(in, weight(name + "_scale", scale), weight(name + "_shift", shift),
                weight(name + "_mean", org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, channels)),
                weight(name + "_var", org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {channels}, 1 - eps,
                        DataType.DOUBLE))), name, name, Map.of("epsilon", (float) eps));
    }

    private static String activationOf(IActivation activation) {
        if (activation instanceof ActivationIdentity || activation == null) {
            return null;
        }
        if (activation instanceof ActivationReLU) {
            return "Relu";
        }
        if (activation instanceof ActivationReLU6) {
            return "Relu6";
        }
        throw new ShmException("Activation " + activation + " has no ONNX export");
    }

    private void upsample(String name, String in, int[] size) {
        float[] scales = {1f, 1f, size[0], size.length > 1 ? size[1] : size[0]};
        if (opset >= 11) {
            String roi = constantFloats(name + "_roi");
            String scale = constantFloats(name + "_scales", scales);
            node("Resize", List.of(in, roi, scale), name, name, Map.of("mode", "nearest",
                    "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor"));
        } else {
            node("Upsample", List.of(in, constantFloats(name + "_scales", scales)), name, name, Map.of("mode", "nearest"));
        }
    }

    private void clip(String in, String out, float min, float max) {
        if (opset >= 11) {
            node("Clip", List.of(in, constantScalar(out + "_min", min), constantScalar(out + "_max", max)), out,
                    out + "_clip", Map.of());
        } else {
            node("Clip", List.of(in), out, out + "_clip", Map.of("min", min, "max", max));
        }
    }

    private void node(String op, List<String> inputs, String output, String nodeName, Map<String, Object> attributes) {
        nodes.add(nodeProto(op, inputs, List.of(output), nodeName, attributes));
    }

    /**
     * ONNX pads (top, left, bottom, right) of a transposed convolution: DL4J's "Same" mode (checkpoints written before
     * {@code m_dN_crop}) keeps (k - s) / 2 at the start and the rest at the end; explicit padding is the same on all sides, plus what a {@code Cropping2D} that
     * reads the result takes off.
     */
    private static long[] transposedPads(String name, Deconvolution2D deconv, ComputationGraphConfiguration configuration) {
        int[] k = deconv.getKernelSize();
        int[] s = deconv.getStride();
        if (deconv.getConvolutionMode() == ConvolutionMode.Same) {
            int begin = (k[0] - s[0]) / 2;
            int end = k[0] - s[0] - begin;
            return ints(begin, begin, end, end);
        }
        int[] p = deconv.getPadding();
        int[] crop = {0, 0, 0, 0};
        for (var entry : configuration.getVertexInputs().entrySet()) {
            if (entry.getValue().contains(name)
                    && configuration.getVertices().get(entry.getKey()) instanceof LayerVertex reader
                    && reader.getLayerConf().getLayer() instanceof Cropping2D cropping) {
                crop = cropping.getCropping();
            }
        }
        return ints(p[0] + crop[0], p[1] + crop[2], p[0] + crop[1], p[1] + crop[3]);
    }

    /** Every vertex's result is the tensor of its own name, but for the graph input and the unclamped alpha. */
    private static String tensorOf(String vertex) {
        if (vertex.equals(Networks.IMAGE)) {
            return INPUT;
        }
        return vertex.equals(Networks.ALPHA) ? "alpha_fused" : vertex;
    }

    private static Onnx.NodeProto nodeProto(String op, List<String> inputs, List<String> outputs, String name,
            Map<String, Object> attributes) {
        Onnx.NodeProto.Builder node = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
                .addAllOutput(outputs);
        attributes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            Onnx.AttributeProto.Builder attribute = Onnx.AttributeProto.newBuilder().setName(entry.getKey());
            Object value = entry.getValue();
            if (value instanceof long[] longs) {
                if (entry.getKey().equals("group") || entry.getKey().equals("axis")) {
                    attribute.setType(Onnx.AttributeProto.AttributeType.INT).setI(longs[0]);
                } else {
                    attribute.setType(Onnx.AttributeProto.AttributeType.INTS);
                    for (long l : longs) {
                        attribute.addInts(l);
                    }
                }
            } else if (value instanceof Float f) {
                attribute.setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(f);
            } else if (value instanceof String s) {
                attribute.setType(Onnx.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
            } else {
                throw new IllegalArgumentException("attribute " + entry.getKey() + " of type " + value.getClass());
            }
            node.addAttribute(attribute);
        });
        return node.build();
    }

    private String weight(String name, INDArray array) {
        INDArray values = array.castTo(DataType.FLOAT).dup('c');
        return initializer(name, Onnx.TensorProto.DataType.FLOAT_VALUE, littleEndian(values.data().asFloat()),
                values.shape());
    }

    private String constantFloats(String name, float... values) {
        return initializer(name, Onnx.TensorProto.DataType.FLOAT_VALUE, littleEndian(values), values.length);
    }

    private String constantScalar(String name, float value) {
        return initializer(name, Onnx.TensorProto.DataType.FLOAT_VALUE, littleEndian(new float[] {value}));
    }

    private String constantInts(String name, long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buffer.putLong(v);
        }
        return initializer(name, Onnx.TensorProto.DataType.INT64_VALUE, buffer.array(), values.length);
    }

    private String initializer(String name, int dataType, byte[] raw, long... dims) {
        Onnx.TensorProto.Builder tensor = Onnx.TensorProto.newBuilder().setName(name).setDataType(dataType)
                .setRawData(ByteString.copyFrom(raw));
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        initializers.add(tensor.build());
        return name;
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    private static Onnx.StringStringEntryProto entry(String key, String value) {
        return Onnx.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static INDArray flat(INDArray array) {
        return array.reshape(array.length());
    }

    private static long[] ints(long... values) {
        return values;
    }

    private static Onnx.ValueInfoProto valueInfo(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }
}
