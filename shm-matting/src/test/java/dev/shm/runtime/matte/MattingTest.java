package dev.shm.runtime.matte;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MattingTest {
    /** (100, 150, 200) normalised by mean 0.5 and std 0.25: -0.431373, 0.352941, 1.137255; their mean 0.352941. */
    private static final double CHANNEL_MEAN = 0.352941;
    /** 1 / (1 + e^-0.352941). */
    private static final double SIGMOID = 0.587332;
    private static final Normalisation HALF = new Normalisation(new double[] {0.5, 0.5, 0.5},
            new double[] {0.25, 0.25, 0.25});

    @TempDir
    Path dir;

    private static Raster uniform(int width, int height) {
        byte[] data = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) {
            data[i * 3] = 100;
            data[i * 3 + 1] = (byte) 150;
            data[i * 3 + 2] = (byte) 200;
        }
        return new Raster(width, height, 3, data);
    }

    private Path write(String name, byte[] model) throws IOException {
        return Files.write(dir.resolve(name), model);
    }

    @Test
    void anShmExportRunsOnItsOwnWithItsNormalisationAndAMatteAtThePhotosSize() throws IOException {
        try (Matting matting = Matting.open(write("shm.onnx", TinyOnnx.shmExport(16, "0.5,0.5,0.5", "0.25,0.25,0.25")))) {
            assertEquals(16, matting.size());
            Matte alpha = matting.matte(uniform(30, 20));
            assertEquals(List.of(30, 20), List.of(alpha.width(), alpha.height()));
            for (float v : alpha.values()) {
                assertEquals(SIGMOID, v, 1e-5);
            }
        }
    }

    @Test
    void aModelFromElsewhereRunsWhenTheUserSaysWhatItLacks() throws IOException {
        Path model = write("foreign.onnx", TinyOnnx.model(16, 1, false, "image", new String[] {"mask", "score"},
                Map.of()));
        ShmException noNormalisation = assertThrows(ShmException.class, () -> Matting.open(model));
        assertTrue(noNormalisation.getMessage().contains("carries no normalisation")
                && noNormalisation.getMessage().contains("--mean"), noNormalisation.getMessage());

        ModelSpec normalised = ModelSpec.FROM_MODEL.withNormalisation(HALF);
        ShmException whichOutput = assertThrows(ShmException.class, () -> Matting.open(model, normalised));
        assertTrue(whichOutput.getMessage().contains("[mask, score]"), whichOutput.getMessage());

        try (Matting byName = Matting.open(model, normalised.withAlphaOutput("mask"));
                Matting byIndex = Matting.open(model, normalised.withAlphaOutput("1"))) {
            assertEquals(SIGMOID, byName.matte(uniform(8, 8)).values()[0], 1e-5);
            assertEquals(CHANNEL_MEAN, byIndex.matte(uniform(8, 8)).values()[0], 1e-5, "the unclamped mean output");
        }
        ShmException unknown = assertThrows(ShmException.class,
                () -> Matting.open(model, normalised.withAlphaOutput("matte")));
        assertTrue(unknown.getMessage().contains("no output 'matte'"), unknown.getMessage());
    }

    @Test
    void aChannelsLastModelWithAFreeSizeNeedsItsSideAndThenAgreesWithTheChannelsFirstOne() throws IOException {
        Path free = write("nhwc.onnx", TinyOnnx.model(0, 0, true, "x", new String[] {"alpha"}, Map.of()));
        ShmException noSize = assertThrows(ShmException.class,
                () -> Matting.open(free, ModelSpec.FROM_MODEL.withNormalisation(HALF)));
        assertTrue(noSize.getMessage().contains("does not fix a square input size"), noSize.getMessage());

        Path fixed = write("nchw.onnx", TinyOnnx.model(16, 1, false, "x", new String[] {"alpha"}, Map.of()));
        byte[] noise = new byte[40 * 30 * 3];
        new Random(5).nextBytes(noise);
        Raster photo = new Raster(40, 30, 3, noise);
        try (Matting channelsLast = Matting.open(free, new ModelSpec(16, HALF, null));
                Matting channelsFirst = Matting.open(fixed, ModelSpec.FROM_MODEL.withNormalisation(HALF))) {
            assertArrayEquals(channelsFirst.matte(photo).values(), channelsLast.matte(photo).values(), 1e-6f);
        }
    }

    @Test
    void aBatchOfPhotosGivesTheMattesOfEachPhotoAlone() throws IOException {
        Path model = write("dynamic.onnx", TinyOnnx.model(16, 0, false, "input", new String[] {"alpha"}, Map.of()));
        Random random = new Random(9);
        List<Raster> photos = List.of(noise(random, 20, 30), noise(random, 16, 16), noise(random, 33, 7));
        try (Matting matting = Matting.open(model, ModelSpec.FROM_MODEL.withNormalisation(HALF))) {
            List<Matte> together = matting.matte(photos);
            for (int i = 0; i < photos.size(); i++) {
                assertArrayEquals(matting.matte(photos.get(i)).values(), together.get(i).values(), 1e-6f, "photo " + i);
            }
        }
    }

    @Test
    void aFileThatIsNotAnOnnxModelIsRefusedNamingTheWayToUseIt() {
        ShmException e = assertThrows(ShmException.class, () -> Matting.open(dir.resolve("semantic_hm_best.ckpt")));
        assertTrue(e.getMessage().contains("shm:export"), e.getMessage());
    }

    @Test
    void normalisationIsPixelOver255MinusMeanOverStdPerChannelPlanar() {
        float[] planar = HALF.apply(uniform(2, 1));
        assertArrayEquals(new float[] {-0.431373f, -0.431373f, 0.352941f, 0.352941f, 1.137255f, 1.137255f}, planar,
                1e-6f);
        assertThrows(IllegalArgumentException.class, () -> Normalisation.parseTriple("0.5,0.5", "mean"));
        assertEquals("0.1,0.2,0.3", Normalisation.join(new double[] {0.1, 0.2, 0.3}));
        assertTrue(Arrays.equals(new double[] {0.1, 0.2, 0.3}, Normalisation.parseTriple(" 0.1, 0.2,0.3", "mean")));
    }

    private static Raster noise(Random random, int width, int height) {
        byte[] data = new byte[width * height * 3];
        random.nextBytes(data);
        return new Raster(width, height, 3, data);
    }
}
