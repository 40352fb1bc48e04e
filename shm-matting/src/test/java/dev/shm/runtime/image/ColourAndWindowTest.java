package dev.shm.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ColourAndWindowTest {

    private static Raster gray(int width, int height, int... values) {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (byte) values[i];
        }
        return new Raster(width, height, 1, data);
    }

    @Test
    void aWindowInsideIsACropAndOutsideRepeatsTheEdges() {
        Raster raster = gray(3, 2, 1, 2, 3, 4, 5, 6);
        assertArrayEquals(gray(2, 1, 5, 6).data(), Resize.window(raster, 1, 1, 2, 1).data());
        assertArrayEquals(gray(5, 3,
                1, 1, 2, 3, 3,
                4, 4, 5, 6, 6,
                4, 4, 5, 6, 6).data(), Resize.window(raster, -1, 0, 5, 3).data(), "left and right columns, bottom row repeated");
    }

    @Test
    void rotatingByZeroChangesNothingAndByNinetyTurnsASquare() {
        Raster raster = gray(3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertArrayEquals(raster.data(), Resize.rotate(raster, 0, Resize.Interpolation.NEAREST).data());
        assertArrayEquals(gray(3, 3, 3, 6, 9, 2, 5, 8, 1, 4, 7).data(),
                Resize.rotate(raster, 90, Resize.Interpolation.NEAREST).data(), "counter-clockwise");
    }

    @Test
    void jitterMovesFromLumaAndMeanThenScales() {
        Raster rgb = new Raster(2, 1, 3, new byte[] {100, 100, 100, (byte) 200, 0, 0});
        assertArrayEquals(rgb.data(), Colour.jitter(rgb, 1, 1, 1).data(), "factors of 1 change nothing");
        // luma of (200, 0, 0) = 59.8; saturation 0 makes both pixels their luma
        assertArrayEquals(new byte[] {100, 100, 100, 60, 60, 60}, Colour.jitter(rgb, 1, 1, 0).data());
        // mean luma (100 + 59.8) / 2 = 79.9; contrast 0 makes every pixel that gray
        assertArrayEquals(new byte[] {80, 80, 80, 80, 80, 80}, Colour.jitter(rgb, 1, 0, 1).data());
        // brightness 1.5: 100 -> 150, 200 -> 255 (clamped)
        Raster bright = Colour.jitter(rgb, 1.5, 1, 1);
        assertEquals(150, bright.sample(0, 0, 0));
        assertEquals(255, bright.sample(1, 0, 0));
        assertEquals(0, bright.sample(1, 0, 1));
    }
}
