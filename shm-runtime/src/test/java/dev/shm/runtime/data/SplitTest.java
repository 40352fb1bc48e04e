package dev.shm.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.shm.runtime.config.Proportion;
import org.junit.jupiter.api.Test;

class SplitTest {
    private static final Proportion SEED = new Proportion(6, 2, 2);

    @Test
    void splitsTenAsTheProportionSays() {
        assertArrayEquals(new int[] {6, 2, 2}, Split.sizes(10, SEED));
    }

    @Test
    void roundsTrainAndEvalDownAndGivesTheRestToTest() {
        assertArrayEquals(new int[] {4, 1, 2}, Split.sizes(7, SEED));
        assertArrayEquals(new int[] {1, 0, 2}, Split.sizes(3, SEED));
        assertArrayEquals(new int[] {0, 0, 0}, Split.sizes(0, SEED));
        assertArrayEquals(new int[] {240, 80, 80}, Split.sizes(400, SEED));
        assertArrayEquals(new int[] {5, 3, 2}, Split.sizes(10, new Proportion(5, 3, 2)));
    }
}
