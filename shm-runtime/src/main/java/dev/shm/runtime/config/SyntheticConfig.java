package dev.shm.runtime.config;

/** The embedded synthetic portrait source used when {@code generate_data.path_mt_human} is not set. */
public record SyntheticConfig(int picNums, int width, int height) {
}
