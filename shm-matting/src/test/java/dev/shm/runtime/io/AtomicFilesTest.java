package dev.shm.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writtenFilesHaveThePermissionsOfAnyNewFile() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        AtomicFiles.writeString(dir.resolve("model.onnx"), "model");
        AtomicFiles.copy(dir.resolve("model.onnx"), dir.resolve("copy.onnx"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dir.resolve("model.onnx")));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dir.resolve("copy.onnx")));
        assertEquals("model", Files.readString(dir.resolve("copy.onnx")));
        assertEquals(List.of("copy.onnx", "model.onnx", "plain"), names(), "no temporary file stays");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        AtomicFiles.writeString(dir.resolve("report.json"), "old");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(dir.resolve("report.json"), temporary -> {
            Files.writeString(temporary, "half");
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(dir.resolve("report.json")));
        assertEquals(List.of("report.json"), names());
    }

    @Test
    void removePartialsTakesOnlyHiddenPartialFiles() throws IOException {
        Files.writeString(dir.resolve(".semantic_hm_best.ckpt123.partial"), "x");
        Files.writeString(dir.resolve(".model.onnx.k3j2.partial"), "x");
        Files.writeString(dir.resolve("notes.partial"), "mine");
        Files.createDirectories(dir.resolve(".datasets.partial"));
        assertEquals(2, AtomicFiles.removePartials(dir));
        assertEquals(List.of(".datasets.partial", "notes.partial"), names());
        assertTrue(AtomicFiles.removePartials(dir.resolve("missing")) == 0);
    }
}
