package dev.shm.runtime.config;

import java.nio.file.Path;

/** The {@code export} section; a {@code null} checkpoint means the best checkpoint of the last training phase. */
public record ExportConfig(Path ckptFile, String fileName, String fileFormat, String deviceTarget) {
}
