package dev.shm.runtime.train;

import dev.shm.runtime.io.Threads;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * A phase's training batches made ahead of the step that needs them, on {@code threads} threads ({@code nThreads});
 * the batches are {@link BatchSource}'s, the same whichever threads load them and whether or not the run was resumed.
 */
final class BatchLoader implements AutoCloseable {
    private final BatchSource source;
    private final int threads;
    private final ExecutorService pool;

    BatchLoader(BatchSource source, int threads) {
        this.source = source;
        this.threads = Math.max(1, threads);
        this.pool = Threads.daemonPool(this.threads, "shm-train-data");
    }

    Iterator<MultiDataSet> epoch(int epoch) {
        List<List<Integer>> batches = source.batches(epoch);
        Deque<Future<MultiDataSet>> pending = new ArrayDeque<>();
        return new Iterator<>() {
            private int submitted;

            @Override
            public boolean hasNext() {
                return submitted < batches.size() || !pending.isEmpty();
            }

            @Override
            public MultiDataSet next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                while (submitted < batches.size() && pending.size() <= threads) {
                    List<Integer> members = batches.get(submitted);
                    pending.add(pool.submit(() -> source.batch(epoch, members)));
                    submitted++;
                }
                return Threads.await(pending.removeFirst(), "Training was interrupted while loading data",
                        "Loading a training batch failed");
            }
        };
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
