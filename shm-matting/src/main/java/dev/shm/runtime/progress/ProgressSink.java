package dev.shm.runtime.progress;

/** Where progress goes: Maven's log, a JSON-lines file, a test's list. */
@FunctionalInterface
public interface ProgressSink {
    void accept(ProgressEvent event);
}
