package dev.shm.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.progress.ProgressEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetGeneratorTest {
    @TempDir
    Path dir;

    private final List<ProgressEvent> events = new ArrayList<>();

    private ShmConfig config(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(Map.of(
                "generate_data.synthetic_pic_nums", "20",
                "generate_data.synthetic_width", "48",
                "generate_data.synthetic_height", "64",
                "generate_data.debug_pic_nums", "10"));
        all.putAll(overrides);
        return new ConfigLoader(dir, Path.of("out")).load(null, all);
    }

    private DatasetGenerator.Result generate(ShmConfig config, boolean force) {
        Progress progress = new Progress("generate-data", List.of(events::add));
        return new DatasetGenerator(config.generateData(), config.seed(), dir.resolve("out"), progress).run(force);
    }

    private static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    @Test
    void syntheticSourceBecomesTheSeedLayout() throws IOException {
        DatasetGenerator.Result result = generate(config(Map.of()), false);
        Path data = dir.resolve("out/datasets");
        assertEquals(Map.of(Split.TRAIN, 12, Split.EVAL, 4, Split.TEST, 4), result.counts());
        assertEquals(Map.of(Split.TRAIN, 6, Split.EVAL, 2, Split.TEST, 2), result.debugCounts());
        for (Split split : Split.values()) {
            Path splitDir = data.resolve(split.dirName());
            int n = result.counts().get(split);
            for (String folder : List.of("clip_img", "matting", "mask", "alpha", "trimap")) {
                try (Stream<Path> files = Files.list(splitDir.resolve(folder))) {
                    assertEquals(n, files.count(), split + "/" + folder);
                }
            }
            List<DatasetLists.Entry> entries = DatasetLists.read(splitDir.resolve(split.listName()));
            assertEquals(n, entries.size());
            for (DatasetLists.Entry entry : entries) {
                assertTrue(Files.isRegularFile(entry.image()) && entry.image().startsWith(splitDir.resolve("clip_img")));
                assertTrue(Files.isRegularFile(entry.matte()) && entry.matte().startsWith(splitDir.resolve("alpha")));
            }
        }
        List<DatasetLists.Entry> debugTrain = DatasetLists.read(dir.resolve("out/datasets_debug/train/train.txt"));
        assertEquals(6, debugTrain.size());

        Path someTrimap;
        try (Stream<Path> files = Files.list(data.resolve("train/trimap"))) {
            someTrimap = files.findFirst().orElseThrow();
        }
        Raster trimap = Codecs.decode(Files.readAllBytes(someTrimap));
        boolean[] seen = new boolean[256];
        for (byte b : trimap.data()) {
            seen[b & 0xFF] = true;
        }
        assertTrue(seen[0] && seen[128] && seen[255], "a portrait's trimap has all three classes");
        for (int v = 0; v < 256; v++) {
            assertTrue(!seen[v] || v == 0 || v == 128 || v == 255, "only 0/128/255, saw " + v);
        }

        MeanStd stats = MeanStd.read(data.resolve("mean_std.json"));
        assertEquals(16, stats.images());
        assertEquals(3, stats.meanClip().length);
        assertTrue(stats.stdClip()[0] > 0.05 && stats.stdClip()[0] < 0.5);
        String stamp = Files.readString(data.resolve(".shm-dataset.json"));
        assertTrue(stamp.contains("seeded shuffle (seed 9527)"), stamp);
        assertFalse(Files.exists(dir.resolve("out/.datasets.partial")), "staging folder removed");
    }

    @Test
    void sameSeedGivesByteIdenticalOutputWhateverTheThreadCount() throws IOException {
        generate(config(Map.of("generate_data.threads", "1")), false);
        Map<String, byte[]> first = tree(dir.resolve("out/datasets"));
        generate(config(Map.of("generate_data.threads", "2", "generate_data.path_save", "other")), false);
        Map<String, byte[]> second = tree(dir.resolve("other"));
        assertEquals(first.keySet(), second.keySet());
        for (String file : first.keySet()) {
            if (!file.equals(DatasetFolders.STAMP) && !file.equals(DatasetFolders.REPORT)) {
                assertArrayEquals(first.get(file), second.get(file), file);
            }
        }
        generate(config(Map.of("seed", "1", "generate_data.path_save", "third")), false);
        assertFalse(Arrays.equals(first.get("train/train.txt"), tree(dir.resolve("third")).get("train/train.txt")),
                "another seed gives another split");
    }

    @Test
    void unchangedInputsAreSkippedAndForceRedoes() throws IOException {
        ShmConfig config = config(Map.of());
        assertFalse(generate(config, false).upToDate());
        DatasetGenerator.Result again = generate(config, false);
        assertTrue(again.upToDate());
        assertEquals(12, again.counts().get(Split.TRAIN));
        assertTrue(events.stream().anyMatch(e -> e.message().contains("up to date")));
        assertFalse(generate(config, true).upToDate());
        assertFalse(generate(config(Map.of("generate_data.ksize", "5")), false).upToDate(), "config change redoes");
    }

    private Path pairedSource() throws IOException {
        return PairedSource.write(dir.resolve("source"), 6);
    }

    @Test
    void aPairedMatteDrawnInTheColoursOfAnOpaqueRgbaPngIsReadFromItsColours() throws IOException {
        Path source = pairedSource();
        Raster gray = Codecs.decode(Files.readAllBytes(source.resolve("alpha/p0.png")));
        byte[] rgba = new byte[gray.data().length * 4];
        for (int i = 0; i < gray.data().length; i++) {
            Arrays.fill(rgba, 4 * i, 4 * i + 3, gray.data()[i]);
            rgba[4 * i + 3] = (byte) 255;
        }
        Files.write(source.resolve("alpha/p0.png"), Codecs.encodePng(new Raster(32, 48, 4, rgba)));

        generate(config(Map.of("generate_data.path_mt_human", "source")), false);

        try (Stream<Path> walk = Files.walk(dir.resolve("out/datasets"))) {
            Path alpha = walk.filter(f -> f.endsWith(Path.of("alpha", "p0.png"))).findFirst().orElseThrow();
            assertArrayEquals(gray.data(), Codecs.decode(Files.readAllBytes(alpha)).data());
        }
    }

    @Test
    void theMatteOfAStoredImageIsItsAlphaUnlessThatIsOpaqueEverywhere() {
        byte o = (byte) 255;
        Raster translucent = new Raster(2, 1, 4, new byte[] {10, 20, 30, o, 40, 50, 60, 7});
        assertArrayEquals(new byte[] {o, 7}, translucent.matte().data());
        Raster opaque = new Raster(2, 1, 4, new byte[] {10, 20, 30, o, 40, 50, 60, o});
        assertArrayEquals(new byte[] {10, 40}, opaque.matte().data());
        assertArrayEquals(new byte[] {10, 40}, new Raster(2, 1, 3, new byte[] {10, 20, 30, 40, 50, 60}).matte().data());
    }

    @Test
    void pairedLayoutWithBadFilesSkipsThemWithReasonsAndNeverTouchesTheSource() throws IOException {
        Path source = pairedSource();
        byte[] whole = Files.readAllBytes(source.resolve("images/p0.jpg"));
        Files.write(source.resolve("images/p0.jpg"), Arrays.copyOf(whole, whole.length / 2));
        Files.delete(source.resolve("alpha/p1.png"));
        Files.write(source.resolve("alpha/orphan.png"), Codecs.encodePng(Raster.gray(32, 48)));
        Files.write(source.resolve("alpha/p2.png"), Codecs.encodePng(Raster.gray(16, 16)));
        Files.write(source.resolve("images/._p3.jpg"), new byte[] {0, 1, 2});
        Files.writeString(source.resolve("images/notes.txt"), "hello");
        Map<String, byte[]> before = tree(source);

        DatasetGenerator.Result result = generate(config(Map.of("generate_data.path_mt_human", "source")), false);

        assertEquals(before.keySet(), tree(source).keySet());
        tree(source).forEach((name, bytes) -> assertArrayEquals(before.get(name), bytes, name));
        assertEquals(3, result.counts().values().stream().mapToInt(Integer::intValue).sum(), "p3, p4, p5 usable");
        String report = Files.readString(dir.resolve("out/datasets/generate_data_report.txt"));
        assertTrue(report.contains("p0.jpg: truncated image"), report);
        assertTrue(report.contains("p1.jpg: image without its matte"), report);
        assertTrue(report.contains("orphan.png: matte without its image"), report);
        assertTrue(report.contains("p2.png: matte is 16x16 but its image p2.jpg is 32x48"), report);
        assertTrue(report.contains("._p3.jpg: macOS metadata"), report);
        assertTrue(report.contains("notes.txt: not a .jpg or .png image"), report);
        assertTrue(report.contains("skipped: 6"), report);
        assertEquals(6, events.stream().filter(e -> e.kind().equals("warn")).count());
    }

    @Test
    void aisegmentMatteWithoutAlphaChannelAndListedErrorFilesAreSkipped() throws IOException {
        ShmConfig config = config(Map.of());
        generate(config, false);
        Path source = dir.resolve("out/synthetic_source");
        Path matting = source.resolve("matting/1803000000/matting_00000000");
        Path noAlpha = matting.resolve("1803000000-00000001.png");
        Raster rgba = Codecs.decode(Files.readAllBytes(noAlpha));
        Path copy = dir.resolve("source");
        copyTree(source, copy);
        Files.write(copy.resolve(source.relativize(noAlpha)), Codecs.encodePng(rgba.channel(3)));
        Path listed = copy.resolve("clip_img/1803000000/clip_00000000/1803000000-00000002.jpg");
        DatasetGenerator.Result result = generate(config(Map.of("generate_data.path_mt_human", "source",
                "generate_data.list_error_files", listed.toString())), false);
        assertEquals(18, result.counts().values().stream().mapToInt(Integer::intValue).sum());
        String report = Files.readString(dir.resolve("out/datasets/generate_data_report.txt"));
        assertTrue(report.contains("1803000000-00000001.png: matte has no alpha channel"), report);
        assertTrue(report.contains("1803000000-00000002.jpg: listed in list_error_files"), report);
    }

    @Test
    void switchesLeaveOutWhatTheyTurnOff() throws IOException {
        generate(config(Map.of("generate_data.copy_pic", "false", "generate_data.generate_trimap", "false",
                "generate_data.generate_mask", "false", "generate_data.generate_debug", "false",
                "generate_data.generate_mean_std", "false")), false);
        Path train = dir.resolve("out/datasets/train");
        assertFalse(Files.exists(train.resolve("clip_img")));
        assertFalse(Files.exists(train.resolve("trimap")));
        assertFalse(Files.exists(train.resolve("mask")));
        assertTrue(Files.isDirectory(train.resolve("alpha")));
        assertFalse(Files.exists(dir.resolve("out/datasets/mean_std.json")));
        assertFalse(Files.exists(dir.resolve("out/datasets_debug")));
        DatasetLists.Entry entry = DatasetLists.read(train.resolve("train.txt")).get(0);
        assertTrue(entry.image().startsWith(dir.resolve("out/synthetic_source/clip_img")), "lists point at the source");
    }

    @Test
    void failsClearlyWhenTheSourceIsMissingOrUnusable() throws IOException {
        ShmException missing = assertThrows(ShmException.class,
                () -> generate(config(Map.of("generate_data.path_mt_human", "absent")), false));
        assertTrue(missing.getMessage().contains(dir.resolve("absent").toString()), missing.getMessage());

        Path source = pairedSource();
        try (Stream<Path> mattes = Files.list(source.resolve("alpha"))) {
            for (Path matte : mattes.toList()) {
                Files.write(matte, new byte[] {1, 2, 3});
            }
        }
        ShmException unusable = assertThrows(ShmException.class,
                () -> generate(config(Map.of("generate_data.path_mt_human", "source")), false));
        assertTrue(unusable.getMessage().contains("No usable image/matte pair in " + source), unusable.getMessage());
        assertFalse(Files.exists(dir.resolve("out/datasets")), "no half-made dataset");
    }

    @Test
    void refusesToReplaceAFolderItDidNotMake() throws IOException {
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("thesis.tex"), "precious");
        ShmException e = assertThrows(ShmException.class,
                () -> generate(config(Map.of("generate_data.path_save", "mine")), false));
        assertTrue(e.getMessage().contains("generate_data.path_save") && e.getMessage().contains(mine.toString()));
        assertEquals("precious", Files.readString(mine.resolve("thesis.tex")));
    }

    @Test
    void outputsThatReachTheSourceThroughALinkAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path source = pairedSource();
        Files.createSymbolicLink(dir.resolve("linked"), source);
        Map<String, byte[]> before = tree(source);
        ShmException viaLink = assertThrows(ShmException.class, () -> generate(config(Map.of(
                "generate_data.path_mt_human", "source", "generate_data.path_save", "linked/generated")), false));
        assertTrue(viaLink.getMessage().startsWith("generate_data.path_save (" + dir.resolve("linked/generated")
                + ", really " + source.toRealPath().resolve("generated") + ") overlaps the source dataset"),
                viaLink.getMessage());

        ShmConfig inside = config(Map.of("generate_data.path_mt_human", "source"));
        ShmException workDir = assertThrows(ShmException.class,
                () -> DatasetGenerator.checkTargets(inside.generateData(), dir.resolve("linked/target/shm")));
        assertTrue(workDir.getMessage().startsWith("the output directory (" + dir.resolve("linked/target/shm")),
                workDir.getMessage());
        assertEquals(ShmException.Fix.OUTPUT_DIRECTORY, workDir.fix(), "the front end says how to move it");
        assertEquals(before.keySet(), tree(source).keySet(), "nothing written into the source");
    }

    @Test
    void aLeftoverStagingFolderFromAnInterruptedRunIsReplaced() throws IOException {
        ShmConfig config = config(Map.of());
        Path staging = dir.resolve("out/.datasets.partial");
        Files.createDirectories(staging.resolve("train/clip_img"));
        Files.writeString(staging.resolve(".shm-staging"), "partial");
        Files.writeString(staging.resolve("train/clip_img/half.jpg"), "half");
        generate(config, false);
        assertFalse(Files.exists(staging));
        assertFalse(Files.exists(dir.resolve("out/datasets/train/clip_img/half.jpg")));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
