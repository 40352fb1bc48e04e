package dev.shm.runtime.config;

/** The whole {@code config.yaml}, with the seed recipe's sections and keys. */
public record ShmConfig(
        long seed,
        int rank,
        int groupSize,
        String deviceTarget,
        boolean saveIRFlag,
        String ckptVersion,
        GenerateDataConfig generateData,
        PhaseConfig preTrainTNet,
        PhaseConfig preTrainMNet,
        PhaseConfig endToEnd,
        TestConfig test,
        InferConfig infer,
        ExportConfig export) {

    /** The configuration section of {@code phase}. */
    public PhaseConfig phase(Phase phase) {
        return switch (phase) {
            case PRE_TRAIN_T_NET -> preTrainTNet;
            case PRE_TRAIN_M_NET -> preTrainMNet;
            case END_TO_END -> endToEnd;
        };
    }
}
