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
}
