package dev.shm.runtime.image;

import dev.shm.runtime.io.NativeCache;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.opencv.core.Core;

/**
 * Loads the OpenCV natives bundled in {@code org.openpnp:opencv} once per JVM from the {@link NativeCache}, instead
 * of unpacking them to a fresh temporary folder every build and removing them by a shutdown hook that cannot run
 * once Maven has closed the plugin's class loader.
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
        Path dir = NativeCache.root().resolve("opencv-" + Core.VERSION + "-" + platform);
        Path library = NativeCache.unpack(OpenCvLoader.class.getClassLoader(), resource, dir.resolve(fileName));
        try {
            System.load(library.toString());
        } catch (UnsatisfiedLinkError e) {
            if (!String.valueOf(e.getMessage()).contains("already loaded in another classloader")) {
                throw e;
            }
            System.load(NativeCache.privateCopy(dir, List.of(fileName)).resolve(fileName).toString());
        }
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
