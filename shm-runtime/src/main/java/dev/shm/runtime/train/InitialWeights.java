package dev.shm.runtime.train;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.model.TNet;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recipe's {@code init_weight}: a phase starts from the parameters of a shm checkpoint or export
 * ({@link OnnxWeights}), of the MindSpore recipe's checkpoint ({@link MindSporeWeights}), or from ImageNet-derived
 * MobileNetV2 weights for T-Net's encoder ({@link MobileNetV2Weights}), layer by layer, matched by name. A layer of the same name whose parameters have other shapes is refused; layers the file lacks keep their
 * random initialisation and are listed.
 */
final class InitialWeights {

    /** Which layers with parameters were loaded from the file and which were left at random. */
    record Report(List<String> loaded, List<String> random) {
        String describe() {
            return String.format(Locale.ROOT, "%d layers loaded, %d left at random%s", loaded.size(), random.size(),
                    random.isEmpty() ? "" : " (" + String.join(", ", random) + ")");
        }
    }

    private InitialWeights() {
    }

    static Report load(Path file, ComputationGraph target) {
        if (MobileNetV2Weights.isModel(file)) {
            return copy(file, MobileNetV2Weights.tNetParameters(MobileNetV2Weights.read(file)), target);
        }
        if (file.getFileName().toString().endsWith(".onnx")) {
            return copy(file, OnnxWeights.parameters(file, target), target);
        }
        if (MindSporeWeights.isCheckpoint(file)) {
            return copy(file, MindSporeWeights.parameters(MindSporeWeights.read(file), target), target);
        }
        if (!file.getFileName().toString().endsWith(Checkpoints.EXTENSION)) {
            throw new ShmException("init_weight " + file + " is neither a shm or MindSpore checkpoint, a shm export nor "
                    + "a MobileNetV2 model; give a " + Checkpoints.EXTENSION + " file written by shm:train (for example "
                    + "an earlier run's semantic_hm_best.ckpt) or by the MindSpore recipe, a .onnx written by "
                    + "shm:export, or npm package nsfwjs 4.4.0 (its .tgz, or its folder dist/models/mobilenet_v2)");
        }
        return copy(file, parameters(Checkpoints.read(file, false).graph()), target);
    }

    /** Every layer's parameters by layer name. */
    static Map<String, Map<String, INDArray>> parameters(ComputationGraph graph) {
        Map<String, Map<String, INDArray>> layers = new LinkedHashMap<>();
        for (Layer layer : graph.getLayers()) {
            if (layer.numParams() > 0) {
                layers.put(layer.conf().getLayer().getLayerName(), layer.paramTable());
            }
        }
        return layers;
    }

    static Report copy(Path file, Map<String, Map<String, INDArray>> source, ComputationGraph target) {
        List<String> loaded = new ArrayList<>();
        List<String> random = new ArrayList<>();
        for (Layer layer : target.getLayers()) {
            if (layer.numParams() == 0) {
                continue;
            }
            String layerName = layer.conf().getLayer().getLayerName();
            if (TNet.isFixed(layerName)) {
                continue;
            }
            Map<String, INDArray> given = source.get(layerName);
            if (given == null) {
                random.add(layerName);
                continue;
            }
            Map<String, INDArray> wanted = layer.paramTable();
            for (Map.Entry<String, INDArray> parameter : wanted.entrySet()) {
                INDArray value = given.get(parameter.getKey());
                if (value == null || !fits(value, parameter.getValue())) {
                    throw new ShmException("init_weight " + file + ": layer " + layerName + " has parameter "
                            + parameter.getKey() + " of shape " + (value == null ? "(none)" : Arrays.toString(value.shape()))
                            + " but this phase's network needs " + Arrays.toString(parameter.getValue().shape())
                            + "; the file holds another network, give a checkpoint of the same model");
                }
            }
            for (Map.Entry<String, INDArray> parameter : wanted.entrySet()) {
                INDArray value = given.get(parameter.getKey());
                parameter.getValue().assign(value.castTo(parameter.getValue().dataType()).reshape(parameter.getValue().shape()));
            }
            loaded.add(layerName);
        }
        if (loaded.isEmpty()) {
            throw new ShmException("init_weight " + file + " shares no layer with this phase's network; give a shm "
                    + "checkpoint whose layers are named as in docs/MODEL.md (t_..., m_...), or MobileNetV2 weights for a "
                    + "phase that trains T-Net");
        }
        return new Report(loaded, random);
    }

    /** The same shape, or vectors of the same length however they are shaped ([C] and [1, C]). */
    static boolean fits(INDArray given, INDArray wanted) {
        if (Arrays.equals(given.shape(), wanted.shape())) {
            return true;
        }
        return given.length() == wanted.length() && isVector(given) && isVector(wanted);
    }

    private static boolean isVector(INDArray array) {
        int large = 0;
        for (long dim : array.shape()) {
            if (dim > 1) {
                large++;
            }
        }
        return large <= 1;
    }
}
