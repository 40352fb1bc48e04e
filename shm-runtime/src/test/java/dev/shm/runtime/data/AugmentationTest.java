package dev.shm.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.config.SampleConfig;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    private static MattingSample portrait() {
        int width = 60;
        int height = 80;
        byte[] rgb = new byte[width * height * 3];
        byte[] alpha = new byte[width * height];
        for (int i = 0; i < width * height; i++) {
            rgb[i * 3] = (byte) (i % 251);
            rgb[i * 3 + 1] = (byte) (i / 7 % 253);
            rgb[i * 3 + 2] = (byte) (i % 13 * 19);
            alpha[i] = (byte) (i % width > 20 && i / width > 30 ? 255 : 0);
        }
        return new MattingSample("p", new Raster(width, height, 3, rgb), new Raster(width, height, 1, alpha),
                new Raster(width, height, 1, alpha.clone()));
    }

    @Test
    void wholeAtScaleOneShowsThePhotoAsEvaluationDoes() {
        MattingSample sample = portrait();
        MattingSample evaluated = Augmentation.resize(sample, 32);
        SampleConfig config = new SampleConfig(SampleConfig.Crop.WHOLE, 1, 1, 0, 0);
        for (long seed = 0; seed < 4; seed++) {
            MattingSample trained = Augmentation.apply(sample, 32, config, new SplittableRandom(seed));
            byte[] expected = evaluated.image().data();
            byte[] mirrored = Resize.mirror(evaluated.image()).data();
            assertTrue(java.util.Arrays.equals(expected, trained.image().data())
                    || java.util.Arrays.equals(mirrored, trained.image().data()), "seed " + seed);
        }
    }

    @Test
    void everyModeGivesPatchSizedAlignedSamples() {
        MattingSample sample = portrait();
        for (SampleConfig config : new SampleConfig[] {SampleConfig.recipe(),
                new SampleConfig(SampleConfig.Crop.WHOLE, 0.7, 1.3, 0.3, 10)}) {
            MattingSample out = Augmentation.apply(sample, 48, config, new SplittableRandom(5));
            assertEquals(48, out.image().width());
            assertEquals(48, out.alpha().height());
            assertEquals(48, out.trimap().width());
            for (byte v : out.trimap().data()) {
                assertTrue(v == 0 || v == (byte) 255, "the trimap stays a label map");
            }
        }
        assertArrayEquals(Augmentation.apply(sample, 48, SampleConfig.recipe(), new SplittableRandom(9)).image().data(),
                Augmentation.apply(sample, 48, SampleConfig.recipe(), new SplittableRandom(9)).image().data(),
                "the same draws give the same sample");
    }

    @Test
    void aWindowStartsInsideALargerSideAndAroundASmallerOne() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            int inside = Augmentation.offset(40, 32, random);
            assertTrue(inside >= 0 && inside <= 8, "0..8, got " + inside);
            int around = Augmentation.offset(28, 32, random);
            assertTrue(around >= -4 && around <= 0, "-4..0, got " + around);
        }
        assertEquals(0, Augmentation.offset(32, 32, random));
    }
}
