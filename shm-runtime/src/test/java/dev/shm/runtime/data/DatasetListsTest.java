package dev.shm.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetListsTest {
    @Test
    void namesWithoutWhitespaceKeepTheSeedsFormat(@TempDir Path dir) {
        assertEquals("image/a.png mask/a.png",
                DatasetLists.line(dir, dir.resolve("image/a.png"), dir.resolve("mask/a.png")));
    }

    @Test
    void everyNameGenerateDataAcceptsRoundTrips(@TempDir Path dir) throws IOException {
        Path split = dir.resolve("train");
        Path outside = dir.resolve("my src");
        List<DatasetLists.Entry> entries = List.of(
                new DatasetLists.Entry(split.resolve("image/with space.jpg"), split.resolve("mask/with space.png")),
                new DatasetLists.Entry(outside.resolve("images/ leading.jpg"), outside.resolve("mattes/trailing .png")),
                new DatasetLists.Entry(split.resolve("image/plain.png"), split.resolve("mask/plain.png")));
        StringBuilder text = new StringBuilder();
        for (DatasetLists.Entry entry : entries) {
            text.append(DatasetLists.line(split, entry.image(), entry.matte())).append('\n');
        }
        Files.createDirectories(split);
        Path list = split.resolve("train.txt");
        Files.writeString(list, text);
        assertEquals(entries, DatasetLists.read(list));
        assertTrue(text.toString().contains("image/with space.jpg\tmask/with space.png"), text.toString());
    }

    @Test
    void aNameWithATabIsRefusedNamingIt(@TempDir Path dir) {
        ShmException refused = assertThrows(ShmException.class,
                () -> DatasetLists.line(dir, dir.resolve("a\tb.png"), dir.resolve("m.png")));
        assertTrue(refused.getMessage().contains("a\tb.png"), refused.getMessage());
    }
}
