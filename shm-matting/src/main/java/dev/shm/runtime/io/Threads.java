package dev.shm.runtime.io;

import dev.shm.runtime.ShmException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Worker pools whose threads never keep the JVM (or Maven) alive on their own, and waiting for their work. */
public final class Threads {
    private Threads() {
    }

    /** A fixed pool of {@code threads} daemon threads, each named {@code name}. */
    public static ExecutorService daemonPool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The result of {@code work}, once done. The work's own runtime failure is rethrown as it is; an interruption
     * fails with {@code interrupted}, any other failure with {@code failed} and its cause.
     */
    public static <T> T await(Future<T> work, String interrupted, String failed) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShmException(interrupted, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ShmException(failed + ": " + e.getCause(), e.getCause());
        }
    }
}
