package dev.shm.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.image.Raster;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrimapsTest {

    private static Raster gray(int width, int height, int[] values) {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (byte) values[i];
        }
        return new Raster(width, height, 1, data);
    }

    private static int[] values(Raster raster) {
        int[] out = new int[raster.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = raster.data()[i] & 0xFF;
        }
        return out;
    }

    @Test
    void combineFollowsTheThreeRules() {
        Raster dilated = gray(4, 1, new int[] {0, 10, 255, 255});
        Raster eroded = gray(4, 1, new int[] {0, 0, 200, 255});
        assertArrayEquals(new int[] {0, 128, 128, 255}, values(Trimaps.combine(dilated, eroded)));
    }

    @Test
    void singleForegroundPixelBecomesAnUnknownCross() {
        int[] matte = new int[25];
        matte[12] = 255;
        // OpenCV's 3x3 ellipse is a cross: dilation spreads to the four neighbours, erosion removes the pixel.
        int[] expected = {
            0, 0, 0, 0, 0,
            0, 0, 128, 0, 0,
            0, 128, 128, 128, 0,
            0, 0, 128, 0, 0,
            0, 0, 0, 0, 0,
        };
        assertArrayEquals(expected, values(Trimaps.fromMatte(gray(5, 5, matte), 3)));
    }

    @Test
    void squareKeepsItsInteriorAsForeground() {
        int[] matte = new int[81];
        for (int y = 2; y <= 6; y++) {
            for (int x = 2; x <= 6; x++) {
                matte[y * 9 + x] = 255;
            }
        }
        int[] trimap = values(Trimaps.fromMatte(gray(9, 9, matte), 3));
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                boolean interior = y >= 3 && y <= 5 && x >= 3 && x <= 5;
                boolean square = y >= 2 && y <= 6 && x >= 2 && x <= 6;
                boolean crossRing = !square && ((x >= 2 && x <= 6 && (y == 1 || y == 7)) || (y >= 2 && y <= 6 && (x == 1 || x == 7)));
                int expected = interior ? 255 : square || crossRing ? 128 : 0;
                assertEquals(expected, trimap[y * 9 + x], "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void softValuesAreUnknownEvenWithoutDilation() {
        Raster matte = gray(3, 1, new int[] {0, 100, 255});
        assertArrayEquals(new int[] {0, 128, 255}, values(Trimaps.fromMatte(matte, 1)));
    }

    @Test
    void randomKernelSizeIsSeededAndInRange() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int k = Trimaps.kernelSize(false, 10, 9527, "sample-" + i);
            assertTrue(k >= 3 && k <= 9, "ksize " + k);
            assertEquals(k, Trimaps.kernelSize(false, 10, 9527, "sample-" + i));
            seen.add(k);
        }
        assertEquals(7, seen.size(), "all of 3..9 drawn");
        assertEquals(10, Trimaps.kernelSize(true, 10, 9527, "anything"));
    }
}
