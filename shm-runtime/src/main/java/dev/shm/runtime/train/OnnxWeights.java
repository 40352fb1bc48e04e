package dev.shm.runtime.train;

import dev.shm.runtime.ShmException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The weights of a model written by shm:export, as parameters of a graph's layers: the exporter names each
 * initializer after its layer ({@code <layer>_W}, {@code <layer>_b}; depthwise kernels as grouped [C, 1, kH, kW];
 * batch norms folded into {@code <layer>_scale} and {@code <layer>_shift}). A folded batch norm comes back as
 * gamma = scale, beta = shift with mean 0 and a variance of 1 - epsilon, which gives the exported network's
 * inference output exactly; the original split between statistics and gamma/beta is not in the file.
 */
final class OnnxWeights {

    private OnnxWeights() {
    }

    static Map<String, Map<String, INDArray>> parameters(Path file, ComputationGraph target) {
        Map<String, INDArray> initializers = read(file);
        Map<String, Map<String, INDArray>> layers = new LinkedHashMap<>();
        for (Layer layer : target.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            Object conf = layer.conf().getLayer();
            Map<String, INDArray> parameters = new HashMap<>();
            if (conf instanceof BatchNormalization bn) {
                INDArray scale = initializers.get(name + "_scale");
                INDArray shift = initializers.get(name + "_shift");
                if (scale == null || shift == null) {
                    continue;
                }
                parameters.put("gamma", scale);
                parameters.put("beta", shift);
                parameters.put("mean", Nd4j.zerosLike(scale));
                parameters.put("log10stdev", Nd4j.valueArrayOf(scale.shape(), 0.5 * Math.log10(1 - bn.getEps()),
                        scale.dataType()));
            } else {
                INDArray weights = initializers.get(name + "_W");
                if (weights == null) {
                    continue;
                }
                if (conf instanceof DepthwiseConvolution2D) {
                    INDArray wanted = layer.getParam("W");
                    weights = weights.reshape(wanted.size(2), wanted.size(3), wanted.size(0), wanted.size(1))
                            .permute(2, 3, 0, 1).dup('c');
                }
                parameters.put("W", weights);
                INDArray bias = initializers.get(name + "_b");
                if (bias != null) {
                    parameters.put("b", bias);
                }
            }
            layers.put(name, parameters);
        }
        return layers;
    }

    /** Every float initializer of the model by name. */
    static Map<String, INDArray> read(Path file) {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ShmException("init_weight " + file + " is not a readable ONNX model (" + e.getMessage()
                    + "); give a .onnx file written by shm:export", e);
        }
        Map<String, INDArray> tensors = new HashMap<>();
        for (Onnx.TensorProto tensor : model.getGraph().getInitializerList()) {
            if (tensor.getDataType() != Onnx.TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            long[] shape = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
            float[] values;
            if (!tensor.getRawData().isEmpty()) {
                ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                values = new float[raw.remaining() / 4];
                raw.asFloatBuffer().get(values);
            } else {
                values = new float[tensor.getFloatDataCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = tensor.getFloatData(i);
                }
            }
            tensors.put(tensor.getName(), shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, 'c'));
        }
        return tensors;
    }
}
