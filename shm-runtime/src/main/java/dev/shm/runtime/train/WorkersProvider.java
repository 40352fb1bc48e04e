package dev.shm.runtime.train;

import dev.shm.runtime.progress.Progress;
import java.util.List;

/**
 * Opens {@link Workers} on a distributed engine; found with {@link java.util.ServiceLoader}, so that an engine's
 * module (dev.shm:shm-spark) is needed only by the projects that train on it.
 */
public interface WorkersProvider {

    /** Workers on the engine, at the master {@code parallelism} names. */
    Workers open(Parallelism parallelism, Progress progress);

    /** Options the JVM that trains with {@code parallelism} needs on its command line, when it starts one. */
    default List<String> jvmOptions(Parallelism parallelism) {
        return List.of();
    }
}
