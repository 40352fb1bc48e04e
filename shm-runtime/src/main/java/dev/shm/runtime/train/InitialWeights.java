package dev.shm.runtime.train;

import dev.shm.runtime.ShmException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recipe's {@code init_weight}: a phase starts from the parameters of a shm checkpoint, layer by layer, matched
 * by name. A layer of the same name whose parameters have other shapes is refused; layers the file lacks keep their
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
        String name = file.getFileName().toString();
        if (!name.endsWith(Checkpoints.EXTENSION)) {
            throw new ShmException("init_weight " + file + " is not a shm checkpoint; give a " + Checkpoints.EXTENSION
                    + " file written by shm:train (for example an earlier run's semantic_hm_best.ckpt)");
        }
        return copy(file, Checkpoints.read(file, false).graph(), target);
    }

    static Report copy(Path file, ComputationGraph source, ComputationGraph target) {
        List<String> loaded = new ArrayList<>();
        List<String> random = new ArrayList<>();
        for (Layer layer : target.getLayers()) {
            if (layer.numParams() == 0) {
                continue;
            }
            String layerName = layer.conf().getLayer().getLayerName();
            Layer from = source.getConfiguration().getVertices().containsKey(layerName) ? source.getLayer(layerName) : null;
            if (from == null || from.numParams() == 0) {
                random.add(layerName);
                continue;
            }
            Map<String, INDArray> wanted = layer.paramTable();
            Map<String, INDArray> given = from.paramTable();
            for (Map.Entry<String, INDArray> parameter : wanted.entrySet()) {
                INDArray value = given.get(parameter.getKey());
                if (value == null || !Arrays.equals(value.shape(), parameter.getValue().shape())) {
                    throw new ShmException("init_weight " + file + ": layer " + layerName + " has parameter "
                            + parameter.getKey() + " of shape " + (value == null ? "(none)" : Arrays.toString(value.shape()))
                            + " but this phase's network needs " + Arrays.toString(parameter.getValue().shape())
                            + "; the file holds another network, give a checkpoint of the same model");
                }
            }
            for (Map.Entry<String, INDArray> parameter : wanted.entrySet()) {
                parameter.getValue().assign(given.get(parameter.getKey()));
            }
            loaded.add(layerName);
        }
        if (loaded.isEmpty()) {
            throw new ShmException("init_weight " + file + " shares no layer with this phase's network; give a shm "
                    + "checkpoint whose layers are named as in SHM-SPEC (t_..., m_...)");
        }
        return new Report(loaded, random);
    }
}
