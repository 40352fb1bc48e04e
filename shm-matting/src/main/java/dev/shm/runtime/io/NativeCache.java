package dev.shm.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Native libraries unpacked once from their jars into a cache folder ({@code shm.nativeCache}, default
 * {@code ~/.cache/shm}) and loaded from there, instead of into a fresh temporary folder by every build.
 */
public final class NativeCache {
    private NativeCache() {
    }

    /** The cache folder: {@code -Dshm.nativeCache}, else {@code ~/.cache/shm}. */
    public static Path root() {
        String configured = System.getProperty("shm.nativeCache");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "shm");
    }

    /**
     * A copy of the libraries {@code names} in {@code dir}, in a new folder of its own removed on exit: a JNI library
     * loads into one class loader only, so a second class loader in this JVM (another plugin realm) needs its own.
     */
    public static Path privateCopy(Path dir, List<String> names) {
        try {
            Path copy = Files.createTempDirectory(dir, "loader-");
            copy.toFile().deleteOnExit();
            for (String name : names) {
                Files.copy(dir.resolve(name), copy.resolve(name));
                copy.resolve(name).toFile().deleteOnExit();
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the natives in " + dir
                    + "; set -Dshm.nativeCache to a writable folder", e);
        }
    }

    /** {@code target}, unpacked from the class path's {@code resource} unless an earlier build already did. */
    public static Path unpack(ClassLoader loader, String resource, Path target) {
        if (Files.isRegularFile(target)) {
            return target;
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the class path");
            }
            AtomicFiles.write(target, temporary -> Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING));
            return target;
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot unpack " + resource + " to " + target
                    + "; set -Dshm.nativeCache to a writable folder", e instanceof IOException io ? io
                            : ((UncheckedIOException) e).getCause());
        }
    }
}
