package dev.shm.runtime.config;

/** One training phase section: {@code pre_train_t_net}, {@code pre_train_m_net} or {@code end_to_end}. */
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
        String trainPhase) {
}
