package dev.shm.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.matte.OnnxRuntimePredictor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's natives come from shm's cache and leave nothing in the temporary folder. */
class OnnxRuntimeNativesTest {
    @TempDir
    Path dir;

    /** Starts ONNX Runtime in a process of its own and prints where its natives came from. */
    public static void main(String[] args) {
        try {
            OnnxRuntimePredictor.open(new byte[] {1, 2, 3}, "not a model");
        } catch (ShmException expected) {
            System.out.println("refused: " + expected.getMessage().startsWith("ONNX Runtime cannot load not a model"));
        }
        System.out.println("native path: " + System.getProperty("onnxruntime.native.path"));
    }

    @Test
    void twoRunsUnpackOnceIntoTheCacheAndLeaveNoTemporaryFolder() throws Exception {
        Path temporary = Files.createDirectories(dir.resolve("tmp"));
        Path cache = dir.resolve("cache");
        for (int run = 0; run < 2; run++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + temporary, "-Dshm.nativeCache=" + cache, "-cp",
                    System.getProperty("java.class.path"), OnnxRuntimeNativesTest.class.getName())
                    .redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue(), output);
            assertTrue(output.contains("refused: true"), output);
            assertTrue(output.contains("native path: " + cache.resolve("onnxruntime-")), output);
        }
        try (Stream<Path> left = Files.list(temporary)) {
            assertEquals(List.of(), left.toList(), "nothing left in java.io.tmpdir");
        }
        try (Stream<Path> unpacked = Files.list(cache)) {
            assertEquals(1, unpacked.count(), "one folder of natives for both runs");
        }
    }
}
