package dev.shm.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.Phase;
import dev.shm.runtime.config.SampleConfig;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.data.DatasetFolders;
import dev.shm.runtime.data.DatasetLists;
import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.data.Split;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import dev.shm.runtime.progress.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Training spread over workers whose networks are averaged: the dealing, the average, and rounds against fits. */
class DataParallelTest {
    @TempDir
    static Path shared;

    private static Path dataset;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeDataset() {
        dataset = SyntheticDataset.make(shared, 12);
    }

    @Test
    void batchesAreDealtInTurnAndARoundWithFewBatchesHasFewWorkers() {
        assertEquals(List.of(List.of("a", "c", "e"), List.of("b", "d")),
                Rounds.assign(List.of("a", "b", "c", "d", "e"), 2));
        assertEquals(List.of(List.of("a"), List.of("b")), Rounds.assign(List.of("a", "b"), 5));
    }

    @Test
    void theAverageWeighsEachWorkerByItsImages() {
        assertArrayEquals(new float[] {2.5f, 5f}, Averaging.mean(List.of(new float[] {1, 2}, new float[] {3, 6}),
                new long[] {1, 3}));
        assertThrows(IllegalArgumentException.class, () -> Averaging.mean(List.of(new float[] {1, 2},
                new float[] {3}), new long[] {1, 1}));
    }

    @Test
    void oneWorkerInRoundsOfTwoStepsFitsExactlyAsFourPlainSteps() {
        BatchSource source = BatchSource.of(DatasetLists.read(dataset.resolve(Split.TRAIN.dirName())
                .resolve(Split.TRAIN.listName())), 1, 32, SampleConfig.recipe(), 7, 25,
                MeanStd.read(dataset.resolve(DatasetFolders.MEAN_STD)), Networks.Kind.T_NET);
        List<List<Integer>> batches = source.batches(1).subList(0, 4);
        ComputationGraph plain = Networks.build(Networks.Kind.T_NET, 32, 7, 1e-3);
        for (List<Integer> batch : batches) {
            plain.fit(source.batch(1, batch));
            dev.shm.runtime.model.TNet.setBilinearKernels(plain);
        }
        ComputationGraph averaged = Networks.build(Networks.Kind.T_NET, 32, 7, 1e-3);
        for (int round = 0; round < 2; round++) {
            Round shares = new Round(averaged.getConfiguration().toJson(), averaged.params().toFloatVector(),
                    RoundWorker.updaterState(averaged), 2L * round, 1, source,
                    List.of(batches.subList(2 * round, 2 * round + 2)));
            RoundResult result = RoundWorker.fit(shares, 0);
            assertEquals(2, result.losses().length);
            assertEquals(2, result.images());
            Averaging.apply(averaged, List.of(result), 2L * round + 2, Networks.Kind.T_NET);
        }
        assertEquals(4, averaged.getConfiguration().getIterationCount());
        assertArrayEquals(plain.params().toFloatVector(), averaged.params().toFloatVector(), 1e-6f);
        assertArrayEquals(RoundWorker.updaterState(plain), RoundWorker.updaterState(averaged), 1e-6f);
    }

    @Test
    void twoThreadWorkersTrainAPhaseWithItsCheckpointsLogsAndExactUpsampling() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        for (Phase phase : Phase.values()) {
            overrides.put(phase + ".patch_size", "32");
            overrides.put(phase + ".train_batch", "2");
            overrides.put(phase + ".nEpochs", "2");
        }
        ShmConfig config = new ConfigLoader(dir, Path.of("out")).load(null, overrides);
        List<Trainer.PhaseResult> results = new Trainer(Progress.silent("train")).run(new Trainer.Request(config,
                dataset, dir.resolve("run"), List.of(Phase.PRE_TRAIN_T_NET, Phase.END_TO_END), false,
                new Parallelism(2, 1, null, Map.of())));
        Trainer.PhaseResult endToEnd = results.get(1);
        assertTrue(Double.isFinite(endToEnd.bestSad()) && endToEnd.bestSad() > 0, "eval SAD " + endToEnd.bestSad());
        assertEquals(2, Checkpoints.readState(endToEnd.finalCheckpoint()).epoch());
        List<String> log = Files.readAllLines(dir.resolve("run/ckpt_s2/pre_train_t_net/log_latest.txt"));
        assertEquals(10, log.size(), "2 epochs of 4 steps and their epoch lines: " + log);
        INDArray bilinear = Checkpoints.read(endToEnd.finalCheckpoint(), false).graph().getLayer("t_d1_bilinear")
                .getParam("W");
        assertEquals(0.25, bilinear.getDouble(1, 1, 0, 0), 0, "the fixed bilinear kernel's centre after averaging");
    }

    @Test
    void aPhaseStartedAsAPlainFitResumesOnWorkers() {
        ShmConfig oneEpoch = tNetConfig(1);
        new Trainer(Progress.silent("train")).run(new Trainer.Request(oneEpoch, dataset, dir.resolve("run"),
                List.of(Phase.PRE_TRAIN_T_NET), false));
        List<String> messages = new java.util.ArrayList<>();
        List<Trainer.PhaseResult> resumed = new Trainer(new Progress("train", List.of(e -> messages.add(e.message()))))
                .run(new Trainer.Request(tNetConfig(2), dataset, dir.resolve("run"), List.of(Phase.PRE_TRAIN_T_NET),
                        false, new Parallelism(2, 2, null, Map.of())));
        assertEquals(2, resumed.get(0).epochs());
        assertTrue(messages.stream().anyMatch(m -> m != null && m.contains("resuming from")
                && m.contains("semantic_hm_latest_1.ckpt") && m.contains("at epoch 2")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m != null && m.contains("data-parallel on 2 threads")));
    }

    private ShmConfig tNetConfig(int epochs) {
        return new ConfigLoader(dir, Path.of("out")).load(null, Map.of("pre_train_t_net.patch_size", "32",
                "pre_train_t_net.train_batch", "2", "pre_train_t_net.nEpochs", Integer.toString(epochs)));
    }

    @Test
    void parallelismSharesTheCoresAndReadsSparkSettings() {
        assertEquals(0, Parallelism.single().threadsPerWorker(16));
        assertEquals(4, new Parallelism(4, 5, null, Map.of()).threadsPerWorker(16));
        assertEquals(8, new Parallelism(0, 5, "local[2]", Map.of()).threadsPerWorker(16));
        assertEquals(1, new Parallelism(0, 5, "local[*]", Map.of()).threadsPerWorker(16));
        assertEquals(4, new Parallelism(4, 5, "local[*]", Map.of()).threadsPerWorker(16));
        assertEquals(0, new Parallelism(0, 5, "spark://h:7077", Map.of()).threadsPerWorker(16));
        assertEquals(Map.of("spark.executor.memory", "8g", "spark.task.cpus", "4"),
                Parallelism.parseConf(" spark.executor.memory=8g, spark.task.cpus=4"));
        assertTrue(assertThrows(ShmException.class, () -> Parallelism.parseConf("spark.executor.memory"))
                .getMessage().contains("key=value"));
        assertThrows(ShmException.class, () -> new Parallelism(0, 5, null, Map.of()));
        assertThrows(ShmException.class, () -> new Parallelism(2, 0, null, Map.of()));
        assertNull(Parallelism.single().open(Progress.silent("train")));
        assertTrue(new Parallelism(0, 5, "local[2]", Map.of()).sparkInThisJvm());
        assertFalse(new Parallelism(0, 5, "local-cluster[2,1,1024]", Map.of()).sparkInThisJvm(),
                "local-cluster's executors are JVMs of their own");
        assertFalse(Parallelism.single().sparkInThisJvm());
        assertEquals(1, Parallelism.of(null, 5, " ", null).workers(), "unset: a plain fit");
        assertEquals(0, Parallelism.of(null, 5, "yarn", "").workers(), "unset with a master: every task slot");
        assertEquals(Map.of("spark.task.cpus", "4"), Parallelism.of(3, 5, "yarn", "spark.task.cpus=4").sparkConf());
    }

    @Test
    void aSparkMasterWithoutTheSparkModuleSaysWhatToAdd() {
        ShmException failure = assertThrows(ShmException.class, () -> new Parallelism(0, 5, "local[2]", Map.of())
                .open(Progress.silent("train")));
        assertTrue(failure.getMessage().contains("dev.shm:shm-spark:"), failure.getMessage());
        assertEquals(ShmException.Fix.SPARK_MODULE, failure.fix());
    }
}
