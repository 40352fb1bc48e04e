package dev.shm.runtime.train;

import dev.shm.runtime.io.Threads;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.TNet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
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
    private static final ExecutorService LOADER = Threads.daemonPool(Math.max(2,
            Runtime.getRuntime().availableProcessors()), "shm-round-data");

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
            CompletableFuture<MultiDataSet> next = load(round, batches.get(0));
            for (int i = 0; i < batches.size(); i++) {
                MultiDataSet batch = take(next);
                if (i + 1 < batches.size()) {
                    next = load(round, batches.get(i + 1));
                }
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

    /** Lets go of the networks kept for later rounds, when this JVM's workers are done. */
    static void release() {
        IDLE.clear();
    }

    /** Makes a batch on a loader thread, so that it is ready when the step before it ends. */
    private static CompletableFuture<MultiDataSet> load(Round round, List<Integer> members) {
        return CompletableFuture.supplyAsync(() -> round.source().batch(round.epoch(), members), LOADER);
    }

    private static MultiDataSet take(CompletableFuture<MultiDataSet> batch) {
        try {
            return batch.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
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
