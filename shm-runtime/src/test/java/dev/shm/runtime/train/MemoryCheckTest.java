package dev.shm.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryCheckTest {
    private static final long GIB = 1L << 30;

    @Test
    void estimateIsScaledActivationsPlusOptimiserStatePlusOverhead() {
        // 0.875 x 1 GiB x 8 + 1000 parameters x 4 bytes x (weights, gradients, two moments) + 1.5 GiB
        assertEquals(7 * GIB + 16_000 + 3 * GIB / 2, MemoryCheck.estimate(GIB, 8, 1000, 1));
        assertEquals(2 * (7 * GIB + 16_000) + 3 * GIB / 2, MemoryCheck.estimate(GIB, 8, 1000, 2), "two workers, one JVM");
    }

    @Test
    void theMeasuredEndToEndPeaksFitUnderTheEstimate() {
        long perImage = 859_000_000L;
        long parameters = 3_115_603;
        assertTrue(MemoryCheck.estimate(perImage, 8, parameters, 1) > 6.16 * GIB);
        assertTrue(MemoryCheck.estimate(perImage, 4, parameters, 1) > 3.45 * GIB);
        assertTrue(MemoryCheck.estimate(perImage, 8, parameters, 1) < 24 * GIB, "the recipe's batch fits this machine");
    }
}
