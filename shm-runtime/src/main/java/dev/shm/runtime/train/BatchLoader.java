package dev.shm.runtime.train;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.SampleConfig;
import dev.shm.runtime.data.Augmentation;
import dev.shm.runtime.data.DatasetLists;
import dev.shm.runtime.data.MattingSample;
import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.io.Threads;
import dev.shm.runtime.model.Inputs;
import dev.shm.runtime.model.Networks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Training batches for one phase. Each epoch shuffles the samples with a generator seeded by the seed and the
 * epoch, and each sample's augmentation draws from a generator seeded by the seed, the epoch and its position,
 * so the batches of an epoch are the same whichever threads ({@code nThreads}) load them and whether or not the
 * run was resumed.
 */
final class BatchLoader implements AutoCloseable {
    private final List<DatasetLists.Entry> entries;
    private final int batchSize;
    private final int patch;
    private final SampleConfig samples;
    private final long seed;
    private final int ksize;
    private final MeanStd stats;
    private final Networks.Kind kind;
    private final int threads;
    private final ExecutorService pool;

    BatchLoader(List<DatasetLists.Entry> entries, int batchSize, int patch, SampleConfig samples, long seed, int ksize, MeanStd stats,
            Networks.Kind kind, int threads) {
        this.entries = List.copyOf(entries);
        this.batchSize = batchSize;
        this.patch = patch;
        this.samples = samples;
        this.seed = seed;
        this.ksize = ksize;
        this.stats = stats;
        this.kind = kind;
        this.threads = Math.max(1, threads);
        this.pool = Threads.daemonPool(this.threads, "shm-train-data");
    }

    int stepsPerEpoch() {
        return stepsPerEpoch(entries.size(), batchSize);
    }

    /** Batches in an epoch of {@code samples}: the last one may be smaller. */
    static int stepsPerEpoch(int samples, int batchSize) {
        return (samples + batchSize - 1) / batchSize;
    }

    /** The sample order of {@code epoch} (1-based). */
    List<Integer> order(int epoch) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order;
    }

    Iterator<MultiDataSet> epoch(int epoch) {
        List<Integer> order = order(epoch);
        int steps = stepsPerEpoch();
        Deque<Future<MultiDataSet>> pending = new ArrayDeque<>();
        return new Iterator<>() {
            private int submitted;

            @Override
            public boolean hasNext() {
                return submitted < steps || !pending.isEmpty();
            }

            @Override
            public MultiDataSet next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                while (submitted < steps && pending.size() <= threads) {
                    int from = submitted * batchSize;
                    List<Integer> members = order.subList(from, Math.min(order.size(), from + batchSize));
                    pending.add(pool.submit(() -> batch(epoch, members)));
                    submitted++;
                }
                try {
                    return pending.removeFirst().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ShmException("Training was interrupted while loading data", e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new ShmException("Loading a training batch failed: " + e.getCause(), e.getCause());
                }
            }
        };
    }

    private MultiDataSet batch(int epoch, List<Integer> members) {
        List<float[]> images = new ArrayList<>();
        List<float[]> trimaps = new ArrayList<>();
        List<float[]> mattes = new ArrayList<>();
        for (int index : members) {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + index);
            MattingSample sample = Augmentation.apply(MattingSample.load(entries.get(index), ksize), patch, samples, random);
            float[] image = stats.clip().apply(sample.image());
            images.add(image);
            trimaps.add(Inputs.oneHot(sample.trimap()));
            mattes.add(matteLabels(Inputs.matte(sample.alpha()), image));
        }
        INDArray image = Inputs.batch(images, 3, patch, patch);
        INDArray trimap = Inputs.batch(trimaps, 3, patch, patch);
        INDArray matte = Inputs.batch(mattes, 4, patch, patch);
        return switch (kind) {
            case T_NET -> new MultiDataSet(new INDArray[] {image}, new INDArray[] {trimap});
            case M_NET -> new MultiDataSet(new INDArray[] {image, trimap}, new INDArray[] {matte});
            case END_TO_END -> new MultiDataSet(new INDArray[] {image}, new INDArray[] {trimap, matte});
        };
    }

    /** Labels of the matte head: [alpha_g, alpha_g * I] with I the normalised image. */
    static float[] matteLabels(float[] alpha, float[] image) {
        int pixels = alpha.length;
        float[] out = new float[4 * pixels];
        System.arraycopy(alpha, 0, out, 0, pixels);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < pixels; i++) {
                out[(c + 1) * pixels + i] = alpha[i] * image[c * pixels + i];
            }
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
