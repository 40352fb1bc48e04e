package dev.shm.runtime.config;

import java.nio.file.Path;

/** The {@code test} section; a {@code null} model means the best checkpoint of the last training phase. */
public record TestConfig(String deviceTarget, Path model, Path testPicPath, Path outputPath, int size) {
}
