package dev.shm.runtime.matte;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.progress.ProgressEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoMattingTest {
    @TempDir
    static Path shared;

    private static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void exportAModel() throws IOException {
        model = Files.write(shared.resolve("shm_export.onnx"), TinyOnnx.shmExport(32, "0.5,0.45,0.4", "0.25,0.25,0.25"));
    }

    private Path photo(String name, int width, int height, int index) throws IOException {
        byte[] rgb = new byte[width * height * 3];
        new Random(index).nextBytes(rgb);
        return Files.write(dir.resolve("in").resolve(name), Codecs.encodePng(new Raster(width, height, 3, rgb)));
    }

    @Test
    void aPhotoGetsItsMatteAtItsOwnSizeAndACutOutWithThatAlpha() throws IOException {
        Files.createDirectories(dir.resolve("in"));
        Path photo = photo("portrait.png", 50, 40, 1);
        try (Matting matting = Matting.open(model)) {
            assertEquals(32, matting.size(), "the exported model's input size");
            Raster rgb = Codecs.decodeRgb(Files.readAllBytes(photo));
            Matte alpha = matting.matte(rgb);
            assertEquals(50, alpha.width());
            assertEquals(40, alpha.height());
            for (float v : alpha.values()) {
                assertTrue(v >= 0 && v <= 1, "clamped: " + v);
            }
            Raster cutout = Matting.cutout(rgb, alpha);
            assertEquals(4, cutout.channels());
            assertEquals(rgb.sample(7, 9, 1), cutout.sample(7, 9, 1));
            assertEquals(Math.round(alpha.values()[9 * 50 + 7] * 255), cutout.sample(7, 9, 3));
        }
    }

    @Test
    void aPhotoTurnedByItsExifOrientationIsMattedAsItIsShown() throws IOException {
        // stored 40x20 with orientation 6 (turn 90 degrees clockwise to show): shown 20x40
        Path photo = Files.createDirectories(dir.resolve("in")).resolve("turned.jpg");
        try (var in = getClass().getResourceAsStream("/photos/exif-orientation-6.jpg")) {
            Files.copy(in, photo);
        }
        try (Matting matting = Matting.open(model)) {
            PhotoMatting.run(matting, model, options(photo, dir.resolve("out")), Progress.silent("matte"));
        }
        Raster alpha = Codecs.decode(Files.readAllBytes(dir.resolve("out/alpha/turned.png")));
        Raster cutout = Codecs.decode(Files.readAllBytes(dir.resolve("out/cutout/turned.png")));
        assertEquals(List.of(20, 40), List.of(alpha.width(), alpha.height()));
        assertEquals(List.of(20, 40), List.of(cutout.width(), cutout.height()));
    }

    @Test
    void aFolderIsMattedUnreadablePhotosAreReportedAndARerunSkipsWhatIsDone() throws IOException {
        Files.createDirectories(dir.resolve("in"));
        photo("a.png", 48, 64, 1);
        photo("b.png", 40, 30, 2);
        Files.write(dir.resolve("in/broken.jpg"), new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("in/notes.txt"), "not a photo");
        List<ProgressEvent> events = new ArrayList<>();
        Path out = dir.resolve("out");
        try (Matting matting = Matting.open(model)) {
            PhotoMatting.Result first = PhotoMatting.run(matting, model, options(dir.resolve("in"), out),
                    new Progress("matte", List.of(events::add)));
            assertEquals(2, first.matted());
            assertEquals(1, first.skipped().size());
            assertEquals(dir.resolve("in/broken.jpg"), first.skipped().get(0).photo());
            assertTrue(events.stream().anyMatch(e -> e.kind().equals("warn") && e.message().contains("broken.jpg")));
            Raster alpha = Codecs.decode(Files.readAllBytes(out.resolve("alpha/a.png")));
            assertEquals(1, alpha.channels());
            assertEquals(48, alpha.width());
            assertEquals(64, alpha.height());
            Raster cutout = Codecs.decode(Files.readAllBytes(out.resolve("cutout/b.png")));
            assertEquals(4, cutout.channels());
            byte[] before = Files.readAllBytes(dir.resolve("in/a.png"));

            PhotoMatting.Result again = PhotoMatting.run(matting, model, options(dir.resolve("in"), out),
                    Progress.silent("m"));
            assertEquals(0, again.matted());
            assertEquals(2, again.upToDate());
            assertArrayEquals(before, Files.readAllBytes(dir.resolve("in/a.png")), "the input is never written");

            ShmException inside = assertThrows(ShmException.class, () -> PhotoMatting.run(matting, model,
                    options(dir.resolve("in"), dir.resolve("in/out")), Progress.silent("m")));
            assertTrue(inside.getMessage().contains("overlap"), inside.getMessage());
        }
    }

    @Test
    void onlyTheMatteOrACompositeOnABackgroundIsWrittenWhenAskedAndChangingThatMattesAgain() throws IOException {
        Files.createDirectories(dir.resolve("in"));
        photo("a.png", 30, 20, 3);
        Path out = dir.resolve("out");
        try (Matting matting = Matting.open(model)) {
            PhotoMatting.run(matting, model, new PhotoMatting.Options(dir.resolve("in"), out, null, true),
                    Progress.silent("m"));
            assertTrue(Files.isRegularFile(out.resolve("alpha/a.png")));
            assertFalse(Files.exists(out.resolve("cutout")), "matte only");

            PhotoMatting.Result green = PhotoMatting.run(matting, model, new PhotoMatting.Options(dir.resolve("in"),
                    out, Background.parse("#00ff00"), false), Progress.silent("m"));
            assertEquals(1, green.matted(), "other options make other outputs");
            Raster composite = Codecs.decode(Files.readAllBytes(out.resolve("composite/a.png")));
            assertEquals(3, composite.channels());
            Raster photo = Codecs.decodeRgb(Files.readAllBytes(dir.resolve("in/a.png")));
            Raster alpha = Codecs.decode(Files.readAllBytes(out.resolve("alpha/a.png")));
            float a = alpha.sample(4, 5, 0) / 255f;
            assertEquals(a * photo.sample(4, 5, 1) + (1 - a) * 255, composite.sample(4, 5, 1), 1.01,
                    "alpha-weighted photo over green");
            assertEquals(Math.round(a * photo.sample(4, 5, 0)), composite.sample(4, 5, 0), 1.01);
        }
    }

    private static PhotoMatting.Options options(Path input, Path output) {
        return new PhotoMatting.Options(input, output, null, false);
    }

    @Test
    void aForeignModelGivenAnotherNormalisationMattesAgainInsteadOfKeepingTheOldOutputs() throws IOException {
        Files.createDirectories(dir.resolve("in"));
        photo("a.png", 20, 10, 4);
        Path foreign = Files.write(dir.resolve("foreign.onnx"), TinyOnnx.model(16, 1, false, "image",
                new String[] {"mask"}, java.util.Map.of()));
        Path out = dir.resolve("out");
        PhotoMatting.Options options = new PhotoMatting.Options(dir.resolve("in"), out, null, true);
        List<Integer> matted = new ArrayList<>();
        for (String mean : List.of("0.5,0.5,0.5", "0.5,0.5,0.5", "0.2,0.2,0.2")) {
            ModelSpec spec = ModelSpec.parse(null, mean, "0.25,0.25,0.25", null);
            try (Matting matting = Matting.open(foreign, spec)) {
                matted.add(PhotoMatting.run(matting, foreign, options, Progress.silent("m")).matted());
            }
        }
        assertEquals(List.of(1, 0, 1), matted, "matted, then up to date, then matted again with the other mean");
    }
}
