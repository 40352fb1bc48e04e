package dev.shm.runtime.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.data.DatasetGenerator;
import dev.shm.runtime.engine.Engines;
import dev.shm.runtime.matte.MattePredictor;
import dev.shm.runtime.eval.Evaluator;
import dev.shm.runtime.export.ModelExport;
import dev.shm.runtime.metrics.Metric;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.progress.ProgressEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Ascend 310 path with ONNX Runtime and with stand-ins for msame and ais_bench. */
class AscendInferenceTest {
    @TempDir
    static Path shared;

    private static Path testList;
    private static Path checkpoint;
    private static ModelExport.Result exported;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() throws IOException {
        ShmConfig config = new ConfigLoader(shared, Path.of("out")).load(null, Map.of(
                "generate_data.synthetic_pic_nums", "15", "generate_data.synthetic_width", "40",
                "generate_data.synthetic_height", "56", "generate_data.generate_debug", "false"));
        testList = new DatasetGenerator(config.generateData(), config.seed(), shared.resolve("out"),
                Progress.silent("g")).run(false).dataset().resolve("test/test.txt");
        checkpoint = shared.resolve("model.ckpt");
        Checkpoints.write(checkpoint, Networks.build(Networks.Kind.END_TO_END, 32, 1, 1e-4), new CheckpointState(
                "end_to_end", "END_TO_END", 1, 1, "h", Double.NaN, 0, 32, new double[] {0.5, 0.4, 0.45},
                new double[] {0.25, 0.2, 0.3}, "test"));
        Path atc = shared.resolve("bin/atc");
        Files.createDirectories(atc.getParent());
        try (var in = AscendInferenceTest.class.getResourceAsStream("/standins/atc")) {
            Files.copy(in, atc);
        }
        Files.setPosixFilePermissions(atc, PosixFilePermissions.fromString("rwxr-xr-x"));
        exported = new ModelExport(Progress.silent("export")).run(new ModelExport.Options(checkpoint,
                shared.resolve("export"), "shm_export", "ONNX", 32, 11, 6, "Ascend310", 1e-4, testList, atc));
    }

    private static List<String> standIn(String tool) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dstandin.failAfter=" + System.getProperty("standin.failAfter", "1000000"),
                "-cp", System.getProperty("java.class.path"), StandInAscendTools.class.getName(), tool);
    }

    private AscendInference.Result infer(InferenceExecutors.Kind kind, List<String> command, List<ProgressEvent> events) {
        return new AscendInference(new Progress("infer-ascend", List.of(events::add))).run(new AscendInference.Options(
                exported.onnx(), exported.om(), testList, 32, dir.resolve("infer"), kind, command));
    }

    @Test
    void onnxRuntimeGivesTheSeedsFilesAndTheSadOfEval() throws IOException {
        List<ProgressEvent> events = new ArrayList<>();
        AscendInference.Result result = infer(InferenceExecutors.Kind.AUTO, null, events);
        assertEquals(3, result.images());
        Path inputs = dir.resolve("infer").resolve(AscendInference.INPUTS);
        try (var files = Files.list(inputs)) {
            List<Path> bins = files.sorted().toList();
            assertEquals(3, bins.size());
            assertTrue(bins.get(0).getFileName().toString().matches("matting_0000_.+\\.bin"));
            assertEquals(3 * 32 * 32 * 4, Files.size(bins.get(0)));
        }
        String summary = Files.readString(dir.resolve("infer/acc.log"));
        assertTrue(summary.contains(String.format(java.util.Locale.ROOT, "Total images: 3, total sad: %.6f, ave sad: %.6f",
                result.totalSad(), result.averageSad())), summary);
        assertTrue(Files.readString(dir.resolve("infer").resolve(AscendInference.TIMING))
                .matches("NN inference cost average time: [0-9.]+ ms of infer_count 3\\s*"));
        assertTrue(events.stream().anyMatch(e -> e.message().contains("No Ascend toolchain")));
        try (MattePredictor model = Engines.open(checkpoint, Engines.Engine.DL4J, 32, testList, Progress.silent("e"))) {
            double evalSad = new Evaluator(dir.resolve("eval"), Progress.silent("eval"))
                    .evaluateModel(model, testList, 32, Evaluator.Region.WHOLE_IMAGE).mean().get(Metric.SAD);
            assertEquals(evalSad, result.averageSad(), 1e-3, "infer-ascend and eval agree");
        }
    }

    @Test
    void msameStandInWithItsNamingAndAResumeAfterADeviceFailure() throws IOException {
        System.setProperty("standin.failAfter", "1");
        try {
            ShmException failed = assertThrows(ShmException.class,
                    () -> infer(InferenceExecutors.Kind.MSAME, standIn("msame"), new ArrayList<>()));
            assertTrue(failed.getMessage().contains("wrote no outputs for matting_0001"), failed.getMessage());
        } finally {
            System.clearProperty("standin.failAfter");
        }
        List<ProgressEvent> events = new ArrayList<>();
        AscendInference.Result result = infer(InferenceExecutors.Kind.MSAME, standIn("msame"), events);
        assertTrue(events.stream().anyMatch(e -> e.message().startsWith("Resuming: 1 of 3 images already have outputs")));
        assertEquals(3, result.images());
        assertTrue(result.executor().startsWith("msame"));
        try (var outputs = Files.list(dir.resolve("infer/result_Files"))) {
            assertEquals(6, outputs.filter(f -> f.getFileName().toString().matches("matting_000[0-2]_.+_[01]\\.bin"))
                    .count(), "msame's <stem>_output_<i>.bin renamed to the seed's <stem>_<i>.bin");
        }
    }

    @Test
    void anotherModelRunsEveryImageAgainInsteadOfResuming() throws IOException {
        Path work = dir.resolve("another-model");
        Path onnx = dir.resolve("another-model.onnx");
        Files.copy(exported.onnx(), onnx, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        AscendInference.Options options = new AscendInference.Options(onnx, null, testList, 32, work,
                InferenceExecutors.Kind.ONNXRUNTIME, null);
        AscendInference.Result first = new AscendInference(Progress.silent("i")).run(options);

        List<ProgressEvent> unchanged = new ArrayList<>();
        new AscendInference(new Progress("i", List.of(unchanged::add))).run(options);
        assertTrue(unchanged.stream().anyMatch(e -> e.message().startsWith("Resuming: 3 of 3")), "same model resumes");

        Files.setLastModifiedTime(onnx, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(onnx).toMillis() + 60_000));
        List<ProgressEvent> changed = new ArrayList<>();
        AscendInference.Result again = new AscendInference(new Progress("i", List.of(changed::add))).run(options);
        assertTrue(changed.stream().anyMatch(e -> e.message().contains("model or the test list changed")));
        assertTrue(changed.stream().noneMatch(e -> e.message().startsWith("Resuming")), "a re-exported model reruns");
        assertEquals(first.averageSad(), again.averageSad(), 1e-9);
    }

    @Test
    void aisBenchStandInAgreesWithOnnxRuntime() {
        AscendInference.Result bench = infer(InferenceExecutors.Kind.AIS_BENCH, standIn("ais_bench"), new ArrayList<>());
        assertTrue(bench.executor().startsWith("ais_bench"));
        Path other = dir.resolve("ort");
        AscendInference.Result ort = new AscendInference(Progress.silent("i")).run(new AscendInference.Options(
                exported.onnx(), null, testList, 32, other, InferenceExecutors.Kind.ONNXRUNTIME, null));
        assertEquals(ort.averageSad(), bench.averageSad(), 1e-9);
    }

    @Test
    void wrongSizedFilesAndMissingModelsAreNamed() throws IOException {
        infer(InferenceExecutors.Kind.ONNXRUNTIME, null, new ArrayList<>());
        Path output;
        try (var files = Files.list(dir.resolve("infer/result_Files"))) {
            output = files.filter(f -> f.toString().endsWith("_1.bin")).findFirst().orElseThrow();
        }
        Files.write(output, new byte[12]);
        ShmException wrong = assertThrows(ShmException.class,
                () -> infer(InferenceExecutors.Kind.ONNXRUNTIME, null, new ArrayList<>()));
        assertTrue(wrong.getMessage().contains(output + " is 12 bytes; expected 4096 bytes"), wrong.getMessage());
        ShmException missing = assertThrows(ShmException.class, () -> new AscendInference(Progress.silent("i")).run(
                new AscendInference.Options(dir.resolve("none.onnx"), null, testList, 32, dir.resolve("x"),
                        InferenceExecutors.Kind.AUTO, null)));
        assertTrue(missing.getMessage().contains("none.onnx does not exist"), missing.getMessage());
        ShmException noOm = assertThrows(ShmException.class, () -> new AscendInference(Progress.silent("i")).run(
                new AscendInference.Options(exported.onnx(), null, testList, 32, dir.resolve("y"),
                        InferenceExecutors.Kind.MSAME, null)));
        assertTrue(noOm.getMessage().contains("needs the offline model"), noOm.getMessage());
    }
}
