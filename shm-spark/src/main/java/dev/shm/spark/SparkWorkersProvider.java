package dev.shm.spark;

import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.train.Parallelism;
import dev.shm.runtime.train.Workers;
import dev.shm.runtime.train.WorkersProvider;
import java.util.List;

/** Spark as the engine of a data-parallel phase, for any master Spark accepts. */
public final class SparkWorkersProvider implements WorkersProvider {

    @Override
    public Workers open(Parallelism parallelism, Progress progress) {
        SparkWorkers workers = new SparkWorkers(parallelism);
        progress.info(workers.describe() + ", averaging every " + parallelism.averagingFrequency()
                + " steps of each task");
        return workers;
    }

    @Override
    public List<String> jvmOptions(Parallelism parallelism) {
        return SparkSettings.driverJvmOptions();
    }
}
