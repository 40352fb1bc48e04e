package dev.shm.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EpochTimesTest {
    @Test
    void splitsAnEpochIntoStepsDataWaitStatisticsEvalAndTheRest() {
        EpochTimes times = new EpochTimes(50, 40, 48, 0.5, 2, 5);
        assertEquals(1.2, times.imagesPerSecond(), 1e-12);
        assertEquals(2.5, times.other(), 1e-12);
        assertEquals("50.0 s: steps 40.0 s (1.20 images/s), waiting for data 0.50 s (1.0%), batch-norm statistics 2.0 s,"
                + " eval 5.0 s, checkpoints and logs 2.5 s", times.toString());
    }
}
