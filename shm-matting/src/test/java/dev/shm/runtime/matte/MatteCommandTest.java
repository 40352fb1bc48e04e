package dev.shm.runtime.matte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatteCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return MatteCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aForeignModelMattesAFolderGivenItsNormalisationAndAnUnreadablePhotoGivesStatus3() throws IOException {
        Path model = Files.write(dir.resolve("m.onnx"), TinyOnnx.model(0, 1, false, "image", new String[] {"mask"},
                Map.of()));
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.png"), Codecs.encodePng(new Raster(12, 9, 3, new byte[12 * 9 * 3])));
        Files.write(in.resolve("b.jpg"), new byte[] {1, 2});
        int status = run("matte", in.toString(), dir.resolve("out").toString(), "--model", model.toString(),
                "--size", "8", "--mean", "0.5,0.5,0.5", "--std", "0.25,0.25,0.25", "--matte-only", "--refine", "guided");
        assertEquals(3, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(dir.resolve("out/alpha/a.png")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("warning: Skipped " + in.resolve("b.jpg")),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsageAndAWrongCommandLineGivesStatus2NamingTheProblem() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: shm-matte matte INPUT OUTPUT"));
        assertEquals(2, run("matte", "in", "out", "--model", "m.onnx", "--colour", "red"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --colour"));
        assertEquals(2, run("matte", "in", "out"));
        assertEquals(2, run("matte", "in", "out", "--model", "m.onnx", "--mean", "0.5,0.5,0.5"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("a mean without a std"));
    }

    @Test
    void aMissingModelFailsWithStatus1NamingIt() throws IOException {
        Files.createDirectories(dir.resolve("in"));
        assertEquals(1, run("matte", dir.resolve("in").toString(), dir.resolve("out").toString(), "--model",
                dir.resolve("none.onnx").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("none.onnx"), err.toString(StandardCharsets.UTF_8));
    }
}
