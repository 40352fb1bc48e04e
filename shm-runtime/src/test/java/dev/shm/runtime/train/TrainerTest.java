package dev.shm.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.Phase;
import dev.shm.runtime.config.PhaseConfig;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.model.checkpoint.CheckpointFolder;
import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.progress.ProgressEvent;
import dev.shm.runtime.progress.ProgressSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Training on a tiny synthetic dataset: files, keep policy, skip, resume equivalence, bad checkpoints. */
class TrainerTest {
    @TempDir
    static Path shared;

    private static Path dataset;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeDataset() {
        dataset = SyntheticDataset.make(shared, 12);
    }

    private ShmConfig config(Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>();
        for (Phase phase : Phase.values()) {
            overrides.put(phase + ".patch_size", "32");
            overrides.put(phase + ".train_batch", "4");
            overrides.put(phase + ".nEpochs", "2");
            overrides.put(phase + ".nThreads", "2");
        }
        overrides.putAll(extra);
        return new ConfigLoader(dir, Path.of("out")).load(null, overrides);
    }

    private List<Trainer.PhaseResult> train(ShmConfig config, Path trainUrl, List<Phase> phases, ProgressSink sink) {
        return new Trainer(new Progress("train", List.of(sink))).run(
                new Trainer.Request(config, dataset, trainUrl, phases, false));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void phasesWriteCheckpointsLogsAndSkipWhenUnchanged() throws IOException {
        List<ProgressEvent> events = new ArrayList<>();
        ShmConfig config = config(Map.of("end_to_end.keep_checkpoint_max", "1"));
        List<Trainer.PhaseResult> results = train(config, dir.resolve("run"),
                List.of(Phase.PRE_TRAIN_T_NET, Phase.END_TO_END), events::add);
        assertEquals(2, results.size());
        Path tNet = dir.resolve("run/ckpt_s2/pre_train_t_net");
        Path endToEnd = dir.resolve("run/ckpt_s2/end_to_end");
        assertEquals(List.of("log_best.txt", "log_latest.txt", "semantic_hm_final.ckpt", "semantic_hm_latest_1.ckpt",
                "semantic_hm_latest_2.ckpt", "training.svg"), names(tNet));
        assertTrue(Files.readString(endToEnd.resolve("training.svg")).contains("eval SAD"));
        assertTrue(names(endToEnd).containsAll(List.of("semantic_hm_best.ckpt", "semantic_hm_final.ckpt",
                "semantic_hm_latest_2.ckpt")));
        assertFalse(names(endToEnd).contains("semantic_hm_latest_1.ckpt"), "keep_checkpoint_max 1");
        List<String> log = Files.readAllLines(tNet.resolve("log_latest.txt"));
        assertTrue(log.get(0).matches("train epoch: 1 step: 1, loss: [0-9.]+, speed: [0-9.]+"), log.get(0));
        assertEquals(6, log.size(), "2 epochs of 2 steps and their epoch lines");
        assertTrue(Files.readString(endToEnd.resolve("log_best.txt")).contains("best sad"));
        assertTrue(Files.readString(dir.resolve("run/ckpt_s2/log_latest.txt")).contains("end_to_end epoch: 2"));
        Trainer.PhaseResult e2e = results.get(1);
        assertTrue(Double.isFinite(e2e.bestSad()) && e2e.bestSad() > 0);
        assertEquals("end_to_end", Checkpoints.readState(e2e.bestCheckpoint()).phase());
        INDArray bilinear = Checkpoints.read(e2e.finalCheckpoint(), false).graph().getLayer("t_d1_bilinear").getParam("W");
        assertEquals(0.25, bilinear.getDouble(1, 1, 0, 0), 0, "the fixed bilinear kernel's centre after training");
        assertEquals(0.0625, bilinear.getDouble(0, 0, 3, 0), 0, "and its corner");
        assertTrue(events.stream().anyMatch(e -> e.kind().equals("progress") || e.kind().equals("done")));

        List<Trainer.PhaseResult> again = train(config, dir.resolve("run"), List.of(Phase.PRE_TRAIN_T_NET, Phase.END_TO_END),
                e -> { });
        assertTrue(again.get(0).upToDate() && again.get(1).upToDate());
    }

    @Test
    void keepZeroWritesNoLatestAndMNetPhaseProducesAlpha() throws IOException {
        ShmConfig config = config(Map.of("pre_train_m_net.keep_checkpoint_max", "0"));
        Trainer.PhaseResult mNet = train(config, dir.resolve("m"), List.of(Phase.PRE_TRAIN_M_NET), e -> { }).get(0);
        List<String> files = names(dir.resolve("m/ckpt_s2/pre_train_m_net"));
        assertTrue(files.stream().noneMatch(f -> f.startsWith("semantic_hm_latest_")), files.toString());
        assertNotNull(mNet.bestCheckpoint());
        assertTrue(Double.isFinite(mNet.lastLoss()));
    }

    @Test
    void patienceStopsAPhaseWhoseEvalSadNoLongerImprovesAndTheStopCountsAsFinished() throws IOException {
        List<ProgressEvent> events = new ArrayList<>();
        ShmConfig config = config(Map.of("pre_train_m_net.nEpochs", "6", "pre_train_m_net.patience", "1",
                "pre_train_m_net.lr", "1e-7"));
        Trainer.PhaseResult result = train(config, dir.resolve("patient"), List.of(Phase.PRE_TRAIN_M_NET),
                events::add).get(0);
        CheckpointState last = Checkpoints.readState(result.finalCheckpoint());
        assertEquals(result.epochs(), last.epoch());
        assertTrue(result.epochs() < 6, "an lr of 1e-7 leaves the eval SAD flat, so one epoch without a better one "
                + "stops the phase; it ran " + result.epochs());
        assertEquals(1, last.epoch() - last.bestEpoch());
        assertTrue(events.stream().anyMatch(e -> e.message().startsWith("pre_train_m_net: stopping early at epoch "
                + last.epoch())), "the log says why it stopped");
        assertTrue(train(config, dir.resolve("patient"), List.of(Phase.PRE_TRAIN_M_NET), e -> { }).get(0).upToDate(),
                "a phase stopped early is finished, not resumed");
    }

    @Test
    void doneAtIsTheLastEpochOrPatienceEpochsAfterTheBest() {
        PhaseConfig patient = config(Map.of("end_to_end.nEpochs", "10", "end_to_end.patience", "3")).endToEnd();
        assertFalse(patient.doneAt(5, 3), "two epochs since the best");
        assertTrue(patient.doneAt(6, 3), "three epochs since the best");
        assertFalse(patient.doneAt(6, 0), "no eval, no best: never early");
        assertTrue(patient.doneAt(10, 10));
        PhaseConfig impatient = config(Map.of("end_to_end.nEpochs", "10")).endToEnd();
        assertFalse(impatient.doneAt(9, 1), "patience 0 never stops early");
    }

    @Test
    void aChangedConfigurationKeepsTheEarlierRunAsideAndWarns() throws IOException {
        Path phase = dir.resolve("changed/ckpt_s2/pre_train_t_net");
        train(config(Map.of("pre_train_t_net.nEpochs", "1")), dir.resolve("changed"), List.of(Phase.PRE_TRAIN_T_NET),
                e -> { });
        byte[] earlierFinal = Files.readAllBytes(phase.resolve(CheckpointFolder.FINAL));
        Path leftover = Files.write(phase.resolve(".semantic_hm_latest_2.ckpt8093.partial"), new byte[1000]);
        List<ProgressEvent> events = new ArrayList<>();
        train(config(Map.of("pre_train_t_net.nEpochs", "1", "pre_train_t_net.lr", "0.0005")), dir.resolve("changed"),
                List.of(Phase.PRE_TRAIN_T_NET), events::add);
        List<Path> kept;
        try (var runs = Files.list(phase.resolve(CheckpointFolder.PREVIOUS))) {
            kept = runs.toList();
        }
        assertEquals(1, kept.size());
        assertArrayEquals(earlierFinal, Files.readAllBytes(kept.get(0).resolve(CheckpointFolder.FINAL)));
        assertTrue(Files.isRegularFile(kept.get(0).resolve("log_latest.txt")));
        assertTrue(Files.isRegularFile(phase.resolve(CheckpointFolder.FINAL)), "the new run's final checkpoint");
        assertFalse(Files.exists(leftover), "an interrupted write's leftover is removed");
        assertEquals(Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain"))),
                Files.getPosixFilePermissions(phase.resolve(CheckpointFolder.FINAL)), "checkpoints get the umask's permissions");
        assertTrue(events.stream().anyMatch(e -> e.kind().equals("warn") && e.message().contains("another configuration")));
        assertTrue(events.stream().anyMatch(e -> e.kind().equals("warn") && e.message().contains(kept.get(0).toString())));
    }

    @Test
    void anInterruptedRunResumesToTheSameWeights() {
        ShmConfig config = config(Map.of("pre_train_t_net.nEpochs", "3"));
        train(config, dir.resolve("whole"), List.of(Phase.PRE_TRAIN_T_NET), e -> { });

        ProgressSink crashAfterEpoch2 = event -> {
            if (event.message() != null && event.message().startsWith("pre_train_t_net: epoch 2/3")) {
                throw new IllegalStateException("simulated crash");
            }
        };
        assertThrows(IllegalStateException.class,
                () -> train(config, dir.resolve("broken"), List.of(Phase.PRE_TRAIN_T_NET), crashAfterEpoch2));
        List<ProgressEvent> events = new ArrayList<>();
        train(config, dir.resolve("broken"), List.of(Phase.PRE_TRAIN_T_NET), events::add);
        assertTrue(events.stream().anyMatch(e -> e.message().contains("resuming from") && e.message().contains("epoch 3")));

        ComputationGraph whole = Checkpoints.read(dir.resolve("whole/ckpt_s2/pre_train_t_net/semantic_hm_final.ckpt"), true).graph();
        ComputationGraph resumed = Checkpoints.read(dir.resolve("broken/ckpt_s2/pre_train_t_net/semantic_hm_final.ckpt"), true).graph();
        double difference = whole.params().sub(resumed.params()).amaxNumber().doubleValue();
        assertTrue(difference < 1e-4, "largest parameter difference " + difference);
        assertEquals(3, Checkpoints.readState(dir.resolve("broken/ckpt_s2/pre_train_t_net/semantic_hm_final.ckpt")).epoch());
    }

    @Test
    void foreignAndMissingInputsFailNamingTheFile() throws IOException {
        Path phaseDir = dir.resolve("x/ckpt_s2/pre_train_t_net");
        Files.createDirectories(phaseDir);
        Path foreign = phaseDir.resolve("semantic_hm_latest_5.ckpt");
        Files.write(foreign, new byte[] {1, 2, 3, 4});
        ShmException corrupt = assertThrows(ShmException.class,
                () -> train(config(Map.of()), dir.resolve("x"), List.of(Phase.PRE_TRAIN_T_NET), e -> { }));
        assertTrue(corrupt.getMessage().contains(foreign.toString()), corrupt.getMessage());

        ShmException noTNet = assertThrows(ShmException.class,
                () -> train(config(Map.of()), dir.resolve("y"), List.of(Phase.END_TO_END), e -> { }));
        assertTrue(noTNet.getMessage().contains("pre_train_t_net"), noTNet.getMessage());

        ShmException notADataset = assertThrows(ShmException.class, () -> new Trainer(Progress.silent("train")).run(
                new Trainer.Request(config(Map.of()), dir, dir.resolve("z"), List.of(Phase.PRE_TRAIN_T_NET), false)));
        assertTrue(notADataset.getMessage().contains("was not made by shm:generate-data"), notADataset.getMessage());

        ShmException tooBig = assertThrows(ShmException.class, () -> train(
                config(Map.of("pre_train_t_net.train_batch", "100000")), dir.resolve("w"), List.of(Phase.PRE_TRAIN_T_NET), e -> { }));
        assertTrue(tooBig.getMessage().contains("pre_train_t_net.train_batch 100000"), tooBig.getMessage());
    }
}
