package dev.shm.runtime.matte;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RefinementTest {

    @Test
    void aBoxMeanAveragesTheWindowCutAtTheBorders() {
        assertArrayEquals(new float[] {1.5f, 2f, 2.5f}, Refinement.boxMean(new float[] {1, 2, 3}, 3, 1, 1), 1e-6f);
        // 2x2, radius 1: every window holds all four
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, Refinement.boxMean(new float[] {1, 2, 3, 4}, 2, 2, 1),
                1e-6f);
    }

    @Test
    void anAlphaThatIsALinearFunctionOfTheGuidesColoursIsFittedExactly() {
        byte[] rgb = new byte[4 * 4 * 3];
        new Random(7).nextBytes(rgb);
        float[] alpha = new float[16];
        for (int i = 0; i < 16; i++) {
            alpha[i] = 0.5f * (rgb[i * 3] & 0xFF) / 255f + 0.2f * (rgb[i * 3 + 1] & 0xFF) / 255f
                    - 0.1f * (rgb[i * 3 + 2] & 0xFF) / 255f + 0.1f;
        }
        float[][] ab = Refinement.colourCoefficients(new Raster(4, 4, 3, rgb), alpha, 4, 4, 1, 0);
        for (int i = 0; i < 16; i++) {
            assertEquals(0.5, ab[0][i], 1e-3, "a red at " + i);
            assertEquals(0.2, ab[1][i], 1e-3, "a green at " + i);
            assertEquals(-0.1, ab[2][i], 1e-3, "a blue at " + i);
            assertEquals(0.1, ab[3][i], 1e-3, "b at " + i);
        }
    }

    @Test
    void withoutRefinementTheAlphaIsUpsampledBicubicAndClamped() {
        Matte small = new Matte(2, 2, new float[] {-0.5f, 0.2f, 0.8f, 1.5f});
        Raster photo = new Raster(4, 4, 3, new byte[48]);
        Matte expected = Resize.to(small, 4, 4, Resize.Interpolation.CUBIC).clamped();
        assertArrayEquals(expected.values(), Refinement.NONE.apply(small, photo, photo).values());
    }

    @Test
    void theGuidedFilterPutsTheEdgeTheNetworkWasUnsureOfWhereThePhotoHasIt() {
        // a white figure right of column 13 on black, 32x8, which the network saw at 8x2 (each pixel the mean of a
        // 4x4 block, so pixel 3 is three quarters white) and whose alpha it got right there: the seen brightness
        Raster photo = twoTone(32, 8, 13);
        byte[] seenData = new byte[16 * 3];
        float[] right = new float[16];
        for (int i = 0; i < 16; i++) {
            int column = i % 8;
            right[i] = column < 3 ? 0 : column == 3 ? 0.75f : 1;
            java.util.Arrays.fill(seenData, i * 3, i * 3 + 3, (byte) Math.round(right[i] * 255));
        }
        Raster seen = new Raster(8, 2, 3, seenData);
        Matte small = new Matte(8, 2, right);
        Matte plain = Refinement.NONE.apply(small, seen, photo);
        Matte guided = Refinement.guided().apply(small, seen, photo);
        double plainError = 0;
        double guidedError = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 32; x++) {
                float truth = x >= 13 ? 1 : 0;
                plainError += Math.abs(plain.values()[y * 32 + x] - truth);
                guidedError += Math.abs(guided.values()[y * 32 + x] - truth);
            }
        }
        assertTrue(guidedError < 0.5 * plainError, "guided " + guidedError + " against bicubic " + plainError);
    }

    @Test
    void refinementsAreParsedFromTheirNames() {
        assertTrue(Refinement.parse("none").isNone());
        assertEquals(Refinement.guided(), Refinement.parse(" Guided "));
        assertEquals(new Refinement(4, 0.01), Refinement.parse("guided:4,0.01"));
        assertEquals(new Refinement(1, 1e-5), Refinement.guided());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Refinement.parse("sharp"));
        assertTrue(e.getMessage().contains("guided:RADIUS,EPSILON"), e.getMessage());
    }

    private static Raster twoTone(int width, int height, int edge) {
        byte[] data = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = edge; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    data[(y * width + x) * 3 + c] = (byte) 255;
                }
            }
        }
        return new Raster(width, height, 3, data);
    }

    @Test
    void theRefinementActsOnlyWhereTheNetworkIsUnsure() {
        // 4a(1-a): 0 at 0 and 1, 1 at 0.5, 0.75 at 0.25; then the largest within radius 1
        float[] doubt = Refinement.uncertainty(new float[] {0, 0, 0.25f, 1, 1, 1.2f}, 6, 1, 1);
        assertArrayEquals(new float[] {0, 0.75f, 0.75f, 0.75f, 0, 0}, doubt, 1e-6f);
        // 3x3, a 0.5 in the top-left corner: its window of radius 1 is the top-left 2x2
        float[] corner = Refinement.uncertainty(new float[] {0.5f, 0, 0, 0, 0, 0, 0, 0, 0}, 3, 3, 1);
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 0, 0, 0, 0}, corner, 1e-6f);
    }
}
