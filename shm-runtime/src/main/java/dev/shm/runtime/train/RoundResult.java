package dev.shm.runtime.train;

import java.io.Serializable;

/** What one worker made of its share of a {@link Round}: its network state after its steps, and each step's loss. */
public record RoundResult(int worker, float[] parameters, float[] updaterState, double[] losses, long images)
        implements Serializable {
}
