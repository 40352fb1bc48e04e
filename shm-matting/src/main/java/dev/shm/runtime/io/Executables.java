package dev.shm.runtime.io;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finding external tools (ATC, msame) the way a shell would. */
public final class Executables {
    private Executables() {
    }

    /** The first executable file of that name in the PATH's folders, or {@code null}. */
    public static Path findOnPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, executable);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
