package dev.shm.runtime.config;

import java.nio.file.Path;

/**
 * One training phase section: {@code pre_train_t_net}, {@code pre_train_m_net} or {@code end_to_end}. {@code initWeight}
 * (the recipe's {@code --init_weight}) is a checkpoint or exported model the phase starts from, or {@code null}.
 * {@code patience} stops a phase with an eval split after that many epochs without a better eval SAD (0: never).
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
        Path initWeight,
        int patience) {

    /**
     * Whether a phase whose best eval SAD came at {@code bestEpoch} is done at {@code epoch}: at {@code nEpochs}, or,
     * with {@code patience} above 0, after that many epochs without a better SAD (early stopping).
     */
    public boolean doneAt(int epoch, int bestEpoch) {
        return epoch >= nEpochs || patience > 0 && bestEpoch > 0 && epoch - bestEpoch >= patience;
    }
}
