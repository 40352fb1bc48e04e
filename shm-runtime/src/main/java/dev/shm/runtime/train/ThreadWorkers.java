package dev.shm.runtime.train;

import dev.shm.runtime.io.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Workers as threads of this JVM, for a host whose cores one fit does not keep busy. */
final class ThreadWorkers implements Workers {
    private final int count;
    private final ExecutorService pool;

    ThreadWorkers(int count) {
        this.count = count;
        this.pool = Threads.daemonPool(count, "shm-train-worker");
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int inThisJvm() {
        return count;
    }

    @Override
    public List<RoundResult> run(Round round) {
        List<Future<RoundResult>> futures = new ArrayList<>();
        for (int worker = 0; worker < round.workers(); worker++) {
            int index = worker;
            futures.add(pool.submit(() -> RoundWorker.fit(round, index)));
        }
        List<RoundResult> results = new ArrayList<>();
        for (Future<RoundResult> future : futures) {
            results.add(Threads.await(future, "Training was interrupted", "A training worker failed"));
        }
        return results;
    }

    @Override
    public String describe() {
        return count + " threads";
    }

    @Override
    public void close() {
        pool.shutdownNow();
        RoundWorker.release();
    }
}
