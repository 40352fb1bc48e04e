package dev.shm.runtime.image;

/** Loads the OpenCV natives bundled in {@code org.openpnp:opencv} once per JVM. */
final class OpenCvLoader {
    private static volatile boolean loaded;

    private OpenCvLoader() {
    }

    static void load() {
        if (!loaded) {
            synchronized (OpenCvLoader.class) {
                if (!loaded) {
                    nu.pattern.OpenCV.loadLocally();
                    loaded = true;
                }
            }
        }
    }
}
