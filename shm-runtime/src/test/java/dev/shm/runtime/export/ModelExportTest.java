package dev.shm.runtime.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import onnx.Onnx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelExportTest {
    @TempDir
    static Path shared;

    private static Path checkpoint;

    @TempDir
    Path dir;

    @BeforeAll
    static void checkpoint() {
        checkpoint = shared.resolve("model.ckpt");
        Checkpoints.write(checkpoint, Networks.build(Networks.Kind.END_TO_END, 32, 1, 1e-4), new CheckpointState(
                "end_to_end", "END_TO_END", 1, 1, "h", Double.NaN, 0, 32, new double[] {0.5, 0.5, 0.5},
                new double[] {0.25, 0.25, 0.25}, "test"));
    }

    private ModelExport.Options options(String format, double tolerance, Path atc) {
        return new ModelExport.Options(checkpoint, dir.resolve("export"), "shm_export", format, 32, 11, 6, "Ascend310",
                tolerance, null, atc);
    }

    private Path standInAtc() throws IOException {
        Path atc = dir.resolve("bin/atc");
        Files.createDirectories(atc.getParent());
        try (var in = getClass().getResourceAsStream("/standins/atc")) {
            Files.copy(in, atc);
        }
        Files.setPosixFilePermissions(atc, PosixFilePermissions.fromString("rwxr-xr-x"));
        return atc;
    }

    @Test
    void withoutAtcTheOnnxFileAndAScriptWithTheExactCommandAreWritten() throws IOException {
        ModelExport.Result result = new ModelExport(Progress.silent("export")).run(options("ONNX", 1e-4, null));
        assertTrue(Files.size(result.onnx()) > 12_000_000, "about 12 MB of float weights");
        assertNull(result.om());
        String script = Files.readString(result.atcScript());
        assertTrue(script.contains("atc --model=shm_export.onnx --framework=5 --output=shm_export "
                + "--soc_version=Ascend310 --input_shape=input:1,3,32,32"), script);
        assertTrue(result.parityDifference() <= 1e-4);
        Onnx.ModelProto model = Onnx.ModelProto.parseFrom(Files.readAllBytes(result.onnx()));
        assertEquals(List.of("trimap_logits", "alpha"), model.getGraph().getOutputList().stream()
                .map(Onnx.ValueInfoProto::getName).toList());
        assertEquals(11, model.getOpsetImport(0).getVersion());
    }

    @Test
    void anUnchangedExportIsSkippedAndAChangedOneIsRedone() throws IOException {
        List<String> heard = new java.util.ArrayList<>();
        ModelExport export = new ModelExport(new Progress("export", List.of(e -> heard.add(e.message()))));
        ModelExport.Result first = export.run(options("ONNX", 1e-4, null), false);
        Files.setLastModifiedTime(first.onnx(), java.nio.file.attribute.FileTime.fromMillis(0));
        ModelExport.Result again = export.run(options("ONNX", 1e-4, null), false);
        assertEquals(first.onnx(), again.onnx());
        assertEquals(0, Files.getLastModifiedTime(again.onnx()).toMillis(), "not written again");
        assertTrue(heard.stream().anyMatch(m -> m.endsWith("is up to date with " + checkpoint + ", skipping (force to "
                + "export again)")), heard.toString());
        export.run(options("ONNX", 2e-4, null), false);
        assertTrue(Files.getLastModifiedTime(first.onnx()).toMillis() > 0, "another tolerance exports again");
        export.run(options("ONNX", 2e-4, null), true);
        assertEquals(ModelExport.Outputs.of(dir.resolve("export"), "shm_export"), ModelExport.Outputs.beside(first.onnx()));
    }

    @Test
    void aHungAtcIsStoppedAtItsTimeoutWithItsOutputKept() throws IOException {
        Path atc = Files.writeString(dir.resolve("hung-atc"), "#!/bin/sh\necho converting\nsleep 600\n");
        Files.setPosixFilePermissions(atc, PosixFilePermissions.fromString("rwxr-xr-x"));
        long started = System.nanoTime();
        ShmException e = assertThrows(ShmException.class, () -> new ModelExport(Progress.silent("export"))
                .runAtc(List.of(atc.toString(), "--model=m.onnx"), dir, dir.resolve("m.om"), Duration.ofSeconds(1)));
        assertTrue((System.nanoTime() - started) / 1e9 < 30, "stopped at the timeout, not at the end of ATC's output");
        assertTrue(e.getMessage().startsWith("ATC did not finish within 1 s and was stopped: "), e.getMessage());
        assertTrue(Files.readString(dir.resolve(ModelExport.ATC_LOG)).startsWith("converting\n"),
                "ATC's output is kept (the shell may add how its child ended)");
    }

    @Test
    void withAtcTheOfflineModelIsMade() throws IOException {
        ModelExport.Result result = new ModelExport(Progress.silent("export")).run(options("ONNX", 1e-4, standInAtc()));
        assertTrue(Files.isRegularFile(result.om()));
        assertTrue(new String(Files.readAllBytes(result.om()), 0, 40).startsWith("OM-STANDIN Ascend310 input:1,3,32,32"));
        assertNull(result.atcScript());
    }

    @Test
    void otherFormatsAndParityFailuresAreClearErrors() {
        ShmException mindir = assertThrows(ShmException.class,
                () -> new ModelExport(Progress.silent("export")).run(options("MINDIR", 1e-4, null)));
        assertTrue(mindir.getMessage().contains("export.file_format 'MINDIR'") && mindir.getMessage().contains("ONNX"));
        ShmException parity = assertThrows(ShmException.class,
                () -> new ModelExport(Progress.silent("export")).run(options("ONNX", -1, null)));
        assertTrue(parity.getMessage().startsWith("Export parity failed: ONNX Runtime and DL4J differ by"),
                parity.getMessage());
        assertFalse(Files.exists(dir.resolve("export/shm_export.onnx")), "nothing written on failure");
    }

    @Test
    void preflightNamesForbiddenOperatorsDynamicShapesAndOpsets() {
        Onnx.TensorShapeProto dynamic = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(3)).build();
        Onnx.ValueInfoProto input = Onnx.ValueInfoProto.newBuilder().setName("input").setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(dynamic))).build();
        byte[] model = Onnx.ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(16))
                .setGraph(Onnx.GraphProto.newBuilder().setName("g").addInput(input)
                        .addNode(Onnx.NodeProto.newBuilder().setName("find").setOpType("NonZero").addInput("input")
                                .addOutput("out")))
                .build().toByteArray();
        List<String> violations = AtcPreflight.violations(model, 6);
        assertEquals(List.of("opset 16 is outside 9..13, the range CANN 6 converts",
                "node find: operator NonZero is not converted by ATC",
                "tensor input has a dynamic dimension 'batch'; ATC needs static shapes"), violations);
        assertEquals(2, AtcPreflight.violations(model, 7).size(), "CANN 7 takes opset 16");
    }
}
