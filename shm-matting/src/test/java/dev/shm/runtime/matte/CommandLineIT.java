package dev.shm.runtime.matte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar run as users run it: {@code java -jar shm-matting-<version>.jar}, its libraries in lib/. */
class CommandLineIT {
    @TempDir
    Path dir;

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("shm-matting-.*\\.jar"))
                    .filter(f -> !f.getFileName().toString().contains("-tests")).findFirst().orElseThrow();
        }
    }

    private String java(Path output, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        int status = process.waitFor();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        return status + "\n" + text;
    }

    @Test
    void theJarPrintsItsUsageAndMattesAFolder() throws IOException, InterruptedException {
        assertTrue(java(dir.resolve("help.txt"), "--help").startsWith("0\nUsage: shm-matte matte INPUT OUTPUT"));
        Path model = Files.write(dir.resolve("m.onnx"), TinyOnnx.shmExport(8, "0.5,0.5,0.5", "0.25,0.25,0.25"));
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.png"), Codecs.encodePng(new Raster(10, 6, 3, new byte[180])));
        String run = java(dir.resolve("run.txt"), "matte", in.toString(), dir.resolve("out").toString(), "--model",
                model.toString(), "--background", "#ffffff");
        assertTrue(run.startsWith("0\n") && run.contains("Matted 1 photos"), run);
        assertEquals(3, Codecs.decode(Files.readAllBytes(dir.resolve("out/composite/a.png"))).channels());
    }
}
