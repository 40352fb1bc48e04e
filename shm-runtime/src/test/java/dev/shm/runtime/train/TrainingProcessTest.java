package dev.shm.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.Phase;
import dev.shm.runtime.progress.json.JsonLinesSink;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.progress.ProgressEvent;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void launchRoundTripsThroughItsProperties() {
        var launch = new TrainingProcess.Launch(Path.of("/p r/base"), Path.of("/p r/out"), null,
                Map.of("pre_train_t_net.lr", "0.001", "seed", "7"), Path.of("/d s/data"), Path.of("/t/train"),
                List.of(Phase.PRE_TRAIN_T_NET, Phase.END_TO_END), true, TrainingProcess.Allocator.KEEP,
                Parallelism.single());
        assertEquals(launch, TrainingProcess.Launch.fromProperties(launch.toProperties()));
        var withFile = new TrainingProcess.Launch(Path.of("/b"), Path.of("/o"), Path.of("/b/config.yaml"), Map.of(),
                Path.of("/d"), Path.of("/t"), List.of(), false, TrainingProcess.Allocator.HUGEPAGES, Parallelism.single());
        assertEquals(withFile, TrainingProcess.Launch.fromProperties(withFile.toProperties()));
        var onSpark = new TrainingProcess.Launch(Path.of("/b"), Path.of("/o"), null, Map.of(), Path.of("/d"),
                Path.of("/t"), List.of(Phase.END_TO_END), false, TrainingProcess.Allocator.KEEP,
                new Parallelism(0, 3, "spark://h:7077", Map.of("spark.executor.memory", "8g")));
        assertEquals(onSpark, TrainingProcess.Launch.fromProperties(onSpark.toProperties()));
    }

    @Test
    void eventsAndResultsRoundTripThroughTheirLines() throws Exception {
        var event = new ProgressEvent("train", "progress", "end_to_end steps", "epoch 1/2, loss 0.5", 3, 10, 0.25, 28);
        assertEquals(event, JsonLinesSink.fromJson(JSON.readTree(JsonLinesSink.toJson(event).toString())));
        var info = ProgressEvent.info("train", "line\nwith \"quotes\"");
        assertEquals(info, JsonLinesSink.fromJson(JSON.readTree(JsonLinesSink.toJson(info).toString())));
        var result = new Trainer.PhaseResult(Phase.PRE_TRAIN_T_NET, false, Path.of("/t/final.ckpt"), null, 2, 0.125,
                Double.NaN, 0.5);
        var back = TrainingProcess.result(JSON.readTree(TrainingProcess.json(result)));
        assertEquals(result.finalCheckpoint(), back.finalCheckpoint());
        assertNull(back.bestCheckpoint());
        assertTrue(Double.isNaN(back.bestSad()));
        assertEquals(result.toString(), back.toString());
    }

    @Test
    void aFailureInTheChildIsTheParentsFailureWithItsMessage(@TempDir Path work) {
        var launch = new TrainingProcess.Launch(work, work.resolve("out"), null, Map.of(), work.resolve("no dataset"),
                work.resolve("train"), List.of(Phase.PRE_TRAIN_T_NET), false, TrainingProcess.Allocator.KEEP,
                Parallelism.single());
        List<ProgressEvent> events = new ArrayList<>();
        List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        ShmException failure = assertThrows(ShmException.class, () -> TrainingProcess.run(launch, classPath,
                new Progress("train", List.of(events::add)), line -> { }));
        assertTrue(failure.getMessage().contains("no dataset"), failure.getMessage());
        assertEquals(ShmException.Fix.DATASET, failure.fix(), "the remedy crosses the process boundary");
    }
}
