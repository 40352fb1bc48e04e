package dev.shm.runtime.engine;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.matte.MattePredictor;
import dev.shm.runtime.matte.Normalisation;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The trained DL4J network of an end-to-end checkpoint; its alpha is clamped to [0, 1] as the exported model's. */
public final class Dl4jPredictor implements MattePredictor {
    private final ComputationGraph graph;
    private final CheckpointState state;
    private final Path file;

    private Dl4jPredictor(ComputationGraph graph, CheckpointState state, Path file) {
        this.graph = graph;
        this.state = state;
        this.file = file;
    }

    public static Dl4jPredictor load(Path checkpoint) {
        CheckpointState state = Checkpoints.readState(checkpoint);
        if (!Networks.Kind.END_TO_END.name().equals(state.kind())) {
            throw new ShmException("The checkpoint " + checkpoint + " comes from the " + state.phase() + " phase, whose "
                    + "network does not predict mattes from images alone; evaluate an end_to_end checkpoint");
        }
        return new Dl4jPredictor(Checkpoints.read(checkpoint, false).graph(), state, checkpoint);
    }

    public ComputationGraph graph() {
        return graph;
    }

    @Override
    public float[][] predict(float[][] images, int size) {
        INDArray input = dev.shm.runtime.model.Inputs.batch(List.of(images), 3, size, size);
        INDArray matte = graph.output(false, input)[1];
        float[][] out = new float[images.length][];
        for (int i = 0; i < images.length; i++) {
            out[i] = Matte.clampToUnit(matte.get(NDArrayIndex.point(i), NDArrayIndex.point(0)).dup().data().asFloat());
        }
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        return out;
    }

    @Override
    public Normalisation normalisation() {
        return state.normalisation().clip();
    }

    @Override
    public String describe() {
        return "DL4J " + file;
    }
}
