package dev.shm.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Source names the JVM's file-name encoding cannot hold (a UTF-8 name under {@code LC_ALL=C}). */
class FileNameEncodingTest {
    @TempDir
    Path dir;

    /** Runs generate-data on {@code <dir>/source} in this process and prints what it made. */
    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        ShmConfig config = new ConfigLoader(root, Path.of("out"))
                .load(null, Map.of("generate_data.path_mt_human", "source", "generate_data.generate_debug", "False"));
        Progress progress = new Progress("generate-data", List.of(e -> System.out.println(e.kind() + " " + e.message())));
        DatasetGenerator.Result result = new DatasetGenerator(config.generateData(), config.seed(), root.resolve("out"),
                progress).run(false);
        System.out.println("usable " + result.counts().values().stream().mapToInt(Integer::intValue).sum());
        System.out.println("encoding " + System.getProperty("sun.jnu.encoding"));
    }

    @Test
    void aNameTheLocaleCannotEncodeIsSkippedWithItsReasonAndTheRestIsGenerated() throws Exception {
        Path source = PairedSource.write(dir.resolve("source"), 5);
        // "café" in UTF-8 bytes, named through the shell so that this JVM's own encoding does not matter
        run(new ProcessBuilder("bash", "-c", "cp images/p4.jpg images/caf$'\\xc3\\xa9'.jpg"
                + " && cp alpha/p4.png alpha/caf$'\\xc3\\xa9'.png").directory(source.toFile()), 0);

        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FileNameEncodingTest.class.getName(), dir.toString());
        child.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        child.environment().put("LC_ALL", "C");
        String output = run(child, 0);

        assertTrue(output.contains("encoding ANSI_X3.4-1968"), output);
        assertTrue(output.contains("usable 5"), output);
        assertTrue(output.matches("(?s).*warn Skipped \\S*caf\\S*\\.jpg: its name cannot be written in this "
                + "JVM's file-name encoding \\(ANSI_X3.4-1968\\).*LC_ALL=C.UTF-8.*"), output);
    }

    private static String run(ProcessBuilder builder, int expectedExit) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(expectedExit, process.exitValue(), output);
        return output;
    }
}
