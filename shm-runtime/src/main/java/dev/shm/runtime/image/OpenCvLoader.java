package dev.shm.runtime.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.opencv.core.Core;

/**
 * Loads the OpenCV natives bundled in {@code org.openpnp:opencv} once per JVM. The library is unpacked once into a
 * cache folder ({@code shm.nativeCache}, default {@code ~/.cache/shm}) and loaded from there, instead of being
 * unpacked to a fresh temporary folder by every build and removed by a shutdown hook that cannot run once Maven
 * has closed the plugin's class loader.
 */
final class OpenCvLoader {
    private static volatile boolean loaded;

    private OpenCvLoader() {
    }

    static void load() {
        if (!loaded) {
            synchronized (OpenCvLoader.class) {
                if (!loaded) {
                    String resource = bundledLibrary();
                    if (resource == null) {
                        nu.pattern.OpenCV.loadLocally();
                    } else {
                        loadFromCache(resource);
                    }
                    loaded = true;
                }
            }
        }
    }

    private static void loadFromCache(String resource) {
        String fileName = resource.substring(resource.lastIndexOf('/') + 1);
        String platform = resource.substring("nu/pattern/opencv/".length(), resource.lastIndexOf('/')).replace('/', '-');
        Path dir = cacheRoot().resolve("opencv-" + Core.VERSION + "-" + platform);
        Path library = dir.resolve(fileName);
        try {
            if (!Files.isRegularFile(library)) {
                extract(resource, library);
            }
            try {
                System.load(library.toString());
            } catch (UnsatisfiedLinkError e) {
                if (!String.valueOf(e.getMessage()).contains("already loaded in another classloader")) {
                    throw e;
                }
                Path copy = Files.createTempFile(dir, "loader-", "-" + fileName);
                Files.copy(library, copy, StandardCopyOption.REPLACE_EXISTING);
                copy.toFile().deleteOnExit();
                System.load(copy.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the OpenCV natives to " + dir
                    + "; set -Dshm.nativeCache to a writable folder", e);
        }
    }

    private static void extract(String resource, Path library) throws IOException {
        Files.createDirectories(library.getParent());
        Path temporary = Files.createTempFile(library.getParent(), "partial-", ".so");
        try (InputStream in = OpenCvLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the OpenCV jar has no " + resource);
            }
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(temporary, library, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, library, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Path cacheRoot() {
        String configured = System.getProperty("shm.nativeCache");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "shm");
    }

    /** The bundled library for this OS and CPU, or {@code null} where the jar's own loader must decide. */
    private static String bundledLibrary() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String version = Core.NATIVE_LIBRARY_NAME;
        if (os.contains("linux")) {
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                return "nu/pattern/opencv/linux/x86_64/lib" + version + ".so";
            }
            if (arch.equals("aarch64")) {
                return "nu/pattern/opencv/linux/ARMv8/lib" + version + ".so";
            }
        }
        return null;
    }
}
