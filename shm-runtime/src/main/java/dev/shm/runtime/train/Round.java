package dev.shm.runtime.train;

import java.io.Serializable;
import java.util.List;

/**
 * One averaging round of a data-parallel phase: every worker starts from the same network ({@code configuration},
 * its {@code parameters} and its updater's state), fits its own batches ({@code assignments}, one list of batches per
 * worker, each batch the members {@link BatchSource#batch} takes) and hands back what it made of them.
 * {@code iteration} is the phase's step at the round's start, which the learning-rate schedule reads.
 */
public record Round(String configuration, float[] parameters, float[] updaterState, long iteration, int epoch,
        BatchSource source, List<List<List<Integer>>> assignments) implements Serializable {

    public int workers() {
        return assignments.size();
    }
}
