package dev.shm.runtime.train;

import dev.shm.runtime.io.Threads;
import dev.shm.runtime.model.ActivationWorkspace;
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
    private static final Map<String, ConcurrentLinkedQueue<Kept>> IDLE = new ConcurrentHashMap<>();
    private static final ExecutorService LOADER = Threads.daemonPool(Math.max(2,
            Runtime.getRuntime().availableProcessors()), "shm-round-data");

    private RoundWorker() {
    }

    /** Fits worker {@code worker}'s batches of {@code round} on a copy of the round's network. */
    public static RoundResult fit(Round round, int worker) {
        Kept kept = borrow(round.configuration());
        ComputationGraph graph = kept.graph();
        try {
            load(graph, round.parameters(), round.updaterState(), round.iteration());
            List<List<Integer>> batches = round.assignments().get(worker);
            double[] losses = new double[batches.size()];
            long images = 0;
            CompletableFuture<MultiDataSet> next = prefetch(round, batches.get(0));
            for (int i = 0; i < batches.size(); i++) {
                MultiDataSet batch = take(next);
                if (i + 1 < batches.size()) {
                    next = prefetch(round, batches.get(i + 1));
                }
                losses[i] = Trainer.fitStep(graph, kept.activations(), batch, round.source().kind());
                images += batches.get(i).size();
            }
            return new RoundResult(worker, graph.params().toFloatVector(), updaterState(graph), losses, images);
        } finally {
            idle(round.configuration()).add(kept);
        }
    }

    /** A network kept for later rounds, with what it knows of its activations' workspace. */
    private record Kept(ComputationGraph graph, ActivationWorkspace activations) {
    }

    /** Lets go of the networks kept for later rounds, when this JVM's workers are done. */
    static void release() {
        IDLE.clear();
    }

    /** Makes a batch on a loader thread, so that it is ready when the step before it ends. */
    private static CompletableFuture<MultiDataSet> prefetch(Round round, List<Integer> members) {
        return CompletableFuture.supplyAsync(() -> round.source().batch(round.epoch(), members), LOADER);
    }

    private static MultiDataSet take(CompletableFuture<MultiDataSet> batch) {
        try {
            return batch.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The network's updater state, flat (empty for an updater that keeps none), the updater made first if need be. */
    static float[] updaterState(ComputationGraph graph) {
        INDArray state = graph.getUpdater(true).getStateViewArray();
        return state == null ? new float[0] : state.toFloatVector();
    }

    /** Sets the network's parameters, its updater's state and the step its learning-rate schedule reads. */
    static void load(ComputationGraph graph, float[] parameters, float[] updaterState, long iteration) {
        graph.setParams(Nd4j.createFromArray(parameters));
        INDArray state = graph.getUpdater(true).getStateViewArray();
        if (state != null) {
            state.assign(Nd4j.createFromArray(updaterState));
        }
        graph.getConfiguration().setIterationCount((int) iteration);
    }

    private static Kept borrow(String configuration) {
        Kept kept = idle(configuration).poll();
        if (kept != null) {
            return kept;
        }
        ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration));
        graph.init();
        return new Kept(graph, new ActivationWorkspace(graph));
    }

    /** The networks of {@code configuration} that no task is fitting now. */
    private static ConcurrentLinkedQueue<Kept> idle(String configuration) {
        return IDLE.computeIfAbsent(configuration, key -> new ConcurrentLinkedQueue<>());
    }
}
