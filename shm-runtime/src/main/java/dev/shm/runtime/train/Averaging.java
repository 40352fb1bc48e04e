package dev.shm.runtime.train;

import dev.shm.runtime.model.Networks;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Parameter averaging: the workers' networks after a round become one, weighted by the images each fitted. */
public final class Averaging {
    private Averaging() {
    }

    /** The mean of {@code arrays}, element by element, each weighted by its {@code weights} entry. */
    static float[] mean(List<float[]> arrays, long[] weights) {
        double[] sum = new double[arrays.get(0).length];
        double total = 0;
        for (int a = 0; a < arrays.size(); a++) {
            float[] array = arrays.get(a);
            if (array.length != sum.length) {
                throw new IllegalArgumentException("worker " + a + " returned " + array.length + " values, worker 0 "
                        + sum.length);
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += (double) weights[a] * array[i];
            }
            total += weights[a];
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / total);
        }
        return mean;
    }

    /**
     * Sets {@code graph} to the average of the round's results (parameters and updater state) and its step count to
     * {@code iteration}; T-Net's fixed upsampling kernels stay exact.
     */
    static void apply(ComputationGraph graph, List<RoundResult> results, long iteration, Networks.Kind kind) {
        long[] weights = results.stream().mapToLong(RoundResult::images).toArray();
        RoundWorker.load(graph, mean(results.stream().map(RoundResult::parameters).toList(), weights),
                mean(results.stream().map(RoundResult::updaterState).toList(), weights), iteration);
        Networks.restoreFixedWeights(graph, kind);
    }
}
