package dev.shm.runtime.io;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Worker pools whose threads never keep the JVM (or Maven) alive on their own. */
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
}
