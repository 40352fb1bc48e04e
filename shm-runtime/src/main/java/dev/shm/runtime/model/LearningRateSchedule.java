package dev.shm.runtime.model;

import dev.shm.runtime.config.ScheduleConfig;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The learning rate of step {@code iteration} (0-based, counted over the whole phase, so a resumed phase continues
 * where it stopped): a linear warm-up to {@code lr} over the first {@code warmupEpochs}, then {@code lr} constant,
 * half a cosine down towards 0 by the end of {@code epochs}, or {@code lr} times {@code gamma} every
 * {@code stepEpochs} epochs. Stored in the graph's configuration, so a checkpoint keeps its schedule.
 */
public final class LearningRateSchedule implements ISchedule {
    @JsonProperty("lr")
    private final double lr;
    @JsonProperty("kind")
    private final ScheduleConfig.Kind kind;
    @JsonProperty("stepsPerEpoch")
    private final int stepsPerEpoch;
    @JsonProperty("epochs")
    private final int epochs;
    @JsonProperty("warmupEpochs")
    private final int warmupEpochs;
    @JsonProperty("stepEpochs")
    private final int stepEpochs;
    @JsonProperty("gamma")
    private final double gamma;

    public LearningRateSchedule(@JsonProperty("lr") double lr, @JsonProperty("kind") ScheduleConfig.Kind kind,
            @JsonProperty("stepsPerEpoch") int stepsPerEpoch, @JsonProperty("epochs") int epochs,
            @JsonProperty("warmupEpochs") int warmupEpochs, @JsonProperty("stepEpochs") int stepEpochs,
            @JsonProperty("gamma") double gamma) {
        this.lr = lr;
        this.kind = kind;
        this.stepsPerEpoch = Math.max(1, stepsPerEpoch);
        this.epochs = epochs;
        this.warmupEpochs = warmupEpochs;
        this.stepEpochs = Math.max(1, stepEpochs);
        this.gamma = gamma;
    }

    public static LearningRateSchedule of(double lr, ScheduleConfig config, int stepsPerEpoch, int epochs) {
        return new LearningRateSchedule(lr, config.kind(), stepsPerEpoch, epochs, config.warmupEpochs(),
                config.stepEpochs(), config.gamma());
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        long warmupSteps = (long) warmupEpochs * stepsPerEpoch;
        if (iteration < warmupSteps) {
            return lr * (iteration + 1) / warmupSteps;
        }
        return switch (kind) {
            case CONSTANT -> lr;
            case COSINE -> {
                long decaySteps = Math.max(1, (long) epochs * stepsPerEpoch - warmupSteps);
                double progress = Math.min(1, (double) (iteration - warmupSteps) / decaySteps);
                yield lr * 0.5 * (1 + Math.cos(Math.PI * progress));
            }
            case STEP -> lr * Math.pow(gamma, (iteration / stepsPerEpoch) / stepEpochs);
        };
    }

    @Override
    public ISchedule clone() {
        return new LearningRateSchedule(lr, kind, stepsPerEpoch, epochs, warmupEpochs, stepEpochs, gamma);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LearningRateSchedule s && s.lr == lr && s.kind == kind && s.stepsPerEpoch == stepsPerEpoch
                && s.epochs == epochs && s.warmupEpochs == warmupEpochs && s.stepEpochs == stepEpochs && s.gamma == gamma;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(lr, kind, stepsPerEpoch, epochs, warmupEpochs, stepEpochs, gamma);
    }
}
