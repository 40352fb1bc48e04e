package dev.shm.runtime.train;

import java.util.Locale;

/**
 * Where an epoch's time went: the training steps (and the images they trained on), the wait for the data loader
 * between steps, the batch-norm statistics, eval, and the rest (checkpoints, logs) as what is left of the whole.
 */
record EpochTimes(double seconds, double steps, long images, double dataWait, double statistics, double eval) {
    double imagesPerSecond() {
        return steps > 0 ? images / steps : 0;
    }

    double other() {
        return Math.max(0, seconds - steps - dataWait - statistics - eval);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f s: steps %.1f s (%.2f images/s), waiting for data %.2f s (%.1f%%), "
                + "batch-norm statistics %.1f s, eval %.1f s, checkpoints and logs %.1f s", seconds, steps,
                imagesPerSecond(), dataWait, seconds > 0 ? 100 * dataWait / seconds : 0, statistics, eval, other());
    }
}
