package dev.shm.runtime.config;

/** The train:eval:test split ratio, three positive integers such as 6:2:2. */
public record Proportion(int train, int eval, int test) {
    public Proportion {
        if (train <= 0 || eval <= 0 || test <= 0) {
            throw new IllegalArgumentException("each part of a proportion must be positive: " + train + ":" + eval + ":" + test);
        }
    }

    /** Parses {@code "6:2:2"}; {@code null} when the text is not three positive integers. */
    static Proportion parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length != 3) {
            return null;
        }
        try {
            int train = Integer.parseInt(parts[0].trim());
            int eval = Integer.parseInt(parts[1].trim());
            int test = Integer.parseInt(parts[2].trim());
            return train > 0 && eval > 0 && test > 0 ? new Proportion(train, eval, test) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public int total() {
        return train + eval + test;
    }

    @Override
    public String toString() {
        return train + ":" + eval + ":" + test;
    }
}
