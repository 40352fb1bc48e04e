package dev.shm.runtime.data;

import dev.shm.runtime.config.Proportion;

/** The three parts of a dataset, named as the seed's directories and list files. */
public enum Split {
    TRAIN("train"),
    EVAL("eval"),
    TEST("test");

    private final String dirName;

    Split(String dirName) {
        this.dirName = dirName;
    }

    public String dirName() {
        return dirName;
    }

    public String listName() {
        return dirName + ".txt";
    }

    /** How many of {@code n} samples each split gets: train and eval rounded down, test takes the rest. */
    public static int[] sizes(int n, Proportion proportion) {
        int train = (int) ((long) n * proportion.train() / proportion.total());
        int eval = (int) ((long) n * proportion.eval() / proportion.total());
        return new int[] {train, eval, n - train - eval};
    }
}
