package dev.shm.runtime.train;

import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.TNet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A worker's share of a {@link Round}, wherever it runs: a thread of this JVM or a task on a Spark executor. The
 * networks it builds from a round's configuration are kept for the next round in this JVM, one per concurrent task.
 */
public final class RoundWorker {
    private static final Map<String, ConcurrentLinkedQueue<ComputationGraph>> IDLE = new ConcurrentHashMap<>();

    private RoundWorker() {
    }

    /** Fits worker {@code worker}'s batches of {@code round} on a copy of the round's network. */
    public static RoundResult fit(Round round, int worker) {
        long started = System.nanoTime();
        ComputationGraph graph = borrow(round.configuration());
        try {
            graph.setParams(Nd4j.createFromArray(round.parameters()));
            INDArray state = updaterState(graph);
            if (state != null) {
                state.assign(Nd4j.createFromArray(round.updaterState()));
            }
            graph.getConfiguration().setIterationCount((int) round.iteration());
            List<List<Integer>> batches = round.assignments().get(worker);
            double[] losses = new double[batches.size()];
            long images = 0;
            for (int i = 0; i < batches.size(); i++) {
                MultiDataSet batch = round.source().batch(round.epoch(), batches.get(i));
                graph.fit(batch);
                if (round.source().kind() != Networks.Kind.M_NET) {
                    TNet.setBilinearKernels(graph);
                }
                losses[i] = graph.score() - graph.calcRegularizationScore(true);
                images += batches.get(i).size();
            }
            return new RoundResult(worker, graph.params().toFloatVector(),
                    state == null ? new float[0] : state.toFloatVector(), losses, images,
                    (System.nanoTime() - started) / 1e9);
        } finally {
            IDLE.computeIfAbsent(round.configuration(), key -> new ConcurrentLinkedQueue<>()).add(graph);
        }
    }

    /** The network's updater state, the updater made first where the network has not been fitted yet. */
    static INDArray updaterState(ComputationGraph graph) {
        return graph.getUpdater(true).getStateViewArray();
    }

    private static ComputationGraph borrow(String configuration) {
        ComputationGraph idle = IDLE.computeIfAbsent(configuration, key -> new ConcurrentLinkedQueue<>()).poll();
        if (idle != null) {
            return idle;
        }
        ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration));
        graph.init();
        return graph;
    }
}
