package dev.shm.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shm.runtime.image.Raster;
import org.junit.jupiter.api.Test;

class ChannelStatsTest {

    private static Raster constant(int width, int height, int r, int g, int b) {
        byte[] data = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) {
            data[i * 3] = (byte) r;
            data[i * 3 + 1] = (byte) g;
            data[i * 3 + 2] = (byte) b;
        }
        return new Raster(width, height, 3, data);
    }

    @Test
    void constantImageHasItsValueAsMeanAndNoSpread() {
        ChannelStats stats = ChannelStats.of(constant(4, 3, 51, 102, 255));
        assertArrayEquals(new double[] {0.2, 0.4, 1.0}, stats.mean(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, stats.std(), 1e-12);
        assertEquals(12, stats.pixels());
    }

    @Test
    void blackAndWhiteImagesOfEqualSizeAverageToHalfWithHalfSpread() {
        ChannelStats stats = new ChannelStats(3);
        stats.add(constant(2, 2, 0, 0, 0));
        stats.add(ChannelStats.of(constant(2, 2, 255, 255, 255)));
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, stats.mean(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, stats.std(), 1e-12);
    }

    @Test
    void imagesWeighByTheirPixelCount() {
        ChannelStats stats = new ChannelStats(1);
        stats.add(new Raster(3, 1, 1, new byte[] {0, 0, 0}));
        stats.add(new Raster(1, 1, 1, new byte[] {(byte) 255}));
        assertEquals(0.25, stats.mean()[0], 1e-12);
        assertEquals(Math.sqrt(0.25 - 0.0625), stats.std()[0], 1e-12);
    }
}
