package dev.shm.runtime.config;

/** How many {@code semantic_hm_latest_*} checkpoints a phase keeps: all of them, or the newest {@code max} (0 = none). */
public record KeepPolicy(boolean all, int max) {
    public static final KeepPolicy ALL = new KeepPolicy(true, Integer.MAX_VALUE);

    public static KeepPolicy newest(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("keep_checkpoint_max must not be negative: " + max);
        }
        return new KeepPolicy(false, max);
    }

    static KeepPolicy parse(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("all")) {
            return ALL;
        }
        try {
            int max = Integer.parseInt(trimmed);
            return max >= 0 ? newest(max) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return all ? "all" : Integer.toString(max);
    }
}
