package dev.shm.runtime.io;

import java.nio.file.Path;
import java.util.Locale;

/** The parts of a file's name: {@code photo.v2.JPG} has the stem {@code photo.v2} and the extension {@code .jpg}. */
public final class FileNames {
    private FileNames() {
    }

    /** The name without its last extension; a name whose only dot leads it (a hidden file) is its own stem. */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name : name.substring(0, dot);
    }

    /** The last extension with its dot, lower-case; empty when there is none. */
    public static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
    }
}
