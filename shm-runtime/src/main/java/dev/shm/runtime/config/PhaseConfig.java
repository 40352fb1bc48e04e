package dev.shm.runtime.config;

import java.nio.file.Path;

/**
 * One training phase section: {@code pre_train_t_net}, {@code pre_train_m_net} or {@code end_to_end}. {@code initWeight}
 * (the recipe's {@code --init_weight}) is a checkpoint or exported model the phase starts from, or {@code null}.
 */
public record PhaseConfig(
        String name,
        int rank,
        int groupSize,
        boolean finetuning,
        int nThreads,
        int trainBatch,
        int patchSize,
        double lr,
        int nEpochs,
        int saveEpoch,
        KeepPolicy keepCheckpointMax,
        String trainPhase,
        SampleConfig samples,
        ScheduleConfig schedule,
        Path initWeight) {
}
