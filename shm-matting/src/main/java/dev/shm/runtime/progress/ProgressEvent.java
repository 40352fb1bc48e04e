package dev.shm.runtime.progress;

/**
 * One thing a long run reports. {@code kind} is {@code info}, {@code warn}, {@code progress} or {@code done};
 * the counters are meaningful for {@code progress} and {@code done} only (negative when unknown).
 */
public record ProgressEvent(
        String goal,
        String kind,
        String task,
        String message,
        long done,
        long total,
        double itemsPerSecond,
        double etaSeconds) {

    public static ProgressEvent info(String goal, String message) {
        return new ProgressEvent(goal, "info", null, message, -1, -1, -1, -1);
    }

    public static ProgressEvent warn(String goal, String message) {
        return new ProgressEvent(goal, "warn", null, message, -1, -1, -1, -1);
    }
}
