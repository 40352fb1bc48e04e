package dev.shm.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate-data on real portraits with hand-labelled masks, when {@code ../shared/data/eg1800} is present. */
class Eg1800Test {
    @TempDir
    Path dir;

    @Test
    void realPortraitsBecomeADatasetWithFaithfulCopiesAndThreeClassTrimaps() throws IOException {
        Path eg1800 = SharedData.eg1800();
        assumeTrue(eg1800 != null, "../shared/data/eg1800 is absent");
        Path source = SourceLayout.linkPairedSubset(eg1800, 40, dir.resolve("source"));
        ShmConfig config = new ConfigLoader(dir, Path.of("out")).load(null, Map.of(
                "generate_data.path_mt_human", source.toString(), "generate_data.debug_pic_nums", "10"));
        DatasetGenerator.Result result = new DatasetGenerator(config.generateData(), config.seed(), dir.resolve("out"),
                Progress.silent("generate-data")).run(false);

        assertEquals(Map.of(Split.TRAIN, 24, Split.EVAL, 8, Split.TEST, 8), result.counts());
        assertEquals(0, result.skippedFiles());
        List<DatasetLists.Entry> test = DatasetLists.read(result.dataset().resolve("test/test.txt"));
        for (DatasetLists.Entry entry : test) {
            String name = entry.image().getFileName().toString();
            assertArrayEquals(Files.readAllBytes(source.resolve("images").resolve(name)), Files.readAllBytes(entry.image()),
                    "clip_img is a byte copy of " + name);
            Raster alpha = Codecs.decode(Files.readAllBytes(entry.matte()));
            assertEquals(600, alpha.width());
            assertEquals(800, alpha.height());
            Raster trimap = Codecs.decode(Files.readAllBytes(entry.matte().getParent().getParent().resolve("trimap")
                    .resolve(entry.matte().getFileName())));
            int[] counts = new int[256];
            for (byte b : trimap.data()) {
                counts[b & 0xFF]++;
            }
            assertTrue(counts[0] > 0 && counts[128] > 0 && counts[255] > 0, "three classes in " + name);
            assertEquals(600 * 800, counts[0] + counts[128] + counts[255]);
        }
        MeanStd stats = MeanStd.read(result.dataset().resolve("mean_std.json"));
        for (int c = 0; c < 3; c++) {
            assertTrue(stats.meanClip()[c] > 0.2 && stats.meanClip()[c] < 0.8, "plausible mean of real photos");
            assertTrue(stats.stdClip()[c] > 0.1 && stats.stdClip()[c] < 0.45, "plausible spread of real photos");
        }
    }
}
