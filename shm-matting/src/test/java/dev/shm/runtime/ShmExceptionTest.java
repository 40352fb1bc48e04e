package dev.shm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ShmExceptionTest {
    @Test
    void explainSaysEachMessageOfTheChainOnceAndNamesFileSystemFailures() {
        assertEquals("cannot write /out/report.json: AccessDeniedException: /out/report.json",
                ShmException.explain(new UncheckedIOException("cannot write /out/report.json",
                        new AccessDeniedException("/out/report.json"))));
        assertEquals("NoSuchFileException: /data/x.png",
                ShmException.explain(new UncheckedIOException(new NoSuchFileException("/data/x.png"))));
        assertEquals("NullPointerException", ShmException.explain(new NullPointerException()));
        assertEquals("bad value: IllegalStateException",
                ShmException.explain(new IllegalArgumentException("bad value", new IllegalStateException())));
    }
}
