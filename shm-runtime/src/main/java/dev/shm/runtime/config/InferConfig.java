package dev.shm.runtime.config;

import java.nio.file.Path;

/** The {@code infer} section: the Ascend 310 path's test list and network input size. */
public record InferConfig(Path fileTestList, int size) {
}
