package dev.shm.runtime.compat;

import dev.shm.runtime.Version;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.TNet;
import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Makes the checkpoint-compatibility fixture: a whole end-to-end network as {@code shm:train} writes it, with
 * weights rounded to three levels per array so the file stays small, and the network's outputs on a seeded input.
 * Run once per fixture; the test then holds every later version of the code to it.
 */
public final class CheckpointFixture {
    static final int SIZE = 32;
    static final String CHECKPOINT = "end_to_end-0.1.0.ckpt";
    static final String OUTPUTS = "end_to_end-0.1.0.outputs.bin";

    private CheckpointFixture() {
    }

    /** The seeded input the fixture's outputs were computed on. */
    static INDArray input() {
        Random random = new Random(20261128);
        float[] values = new float[3 * SIZE * SIZE];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(values, new long[] {1, 3, SIZE, SIZE}, 'c');
    }

    /** The outputs compared: T-Net's logits, then the alpha. */
    static float[] outputs(ComputationGraph graph) {
        Map<String, INDArray> activations = graph.feedForward(input(), false);
        float[] logits = activations.get(TNet.LOGITS).dup().data().asFloat();
        float[] alpha = activations.get(Networks.ALPHA).dup().data().asFloat();
        float[] both = new float[logits.length + alpha.length];
        System.arraycopy(logits, 0, both, 0, logits.length);
        System.arraycopy(alpha, 0, both, logits.length, alpha.length);
        return both;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        ComputationGraph graph = Networks.build(Networks.Kind.END_TO_END, SIZE, 7, 1e-4);
        for (var layer : graph.getLayers()) {
            if (TNet.isFixed(layer.conf().getLayer().getLayerName())) {
                continue;
            }
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                INDArray values = param.getValue();
                double std = values.stdNumber().doubleValue();
                if (values.length() > 1 && std > 0) {
                    INDArray levels = Transforms.round(values.div(3 * std), false).castTo(DataType.FLOAT);
                    values.assign(Transforms.max(Transforms.min(levels, 1.0), -1.0).muli(2 * std));
                }
            }
        }
        Files.createDirectories(dir);
        Checkpoints.write(dir.resolve(CHECKPOINT), graph, new CheckpointState("end_to_end", "END_TO_END", 3, 42,
                "fixture", 0.5, 2, SIZE, new double[] {0.4, 0.45, 0.5}, new double[] {0.2, 0.25, 0.3},
                Version.get()));
        float[] outputs = outputs(graph);
        ByteBuffer bytes = ByteBuffer.allocate(4 * outputs.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(outputs);
        Files.write(dir.resolve(OUTPUTS), bytes.array());
    }
}
