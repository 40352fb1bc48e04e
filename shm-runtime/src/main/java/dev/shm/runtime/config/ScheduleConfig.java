package dev.shm.runtime.config;

/**
 * A phase's learning-rate schedule: {@link Kind#CONSTANT} (the recipe's), {@link Kind#COSINE} (half a cosine from
 * {@code lr} down to 0 over the phase's epochs) or {@link Kind#STEP} ({@code lr} times {@code gamma} every
 * {@code stepEpochs} epochs), each after a linear warm-up over {@code warmupEpochs}.
 */
public record ScheduleConfig(Kind kind, int warmupEpochs, int stepEpochs, double gamma) {

    /** The shape of the schedule after the warm-up. */
    public enum Kind {
        CONSTANT,
        COSINE,
        STEP
    }

    public static ScheduleConfig constant() {
        return new ScheduleConfig(Kind.CONSTANT, 0, 0, 1);
    }
}
