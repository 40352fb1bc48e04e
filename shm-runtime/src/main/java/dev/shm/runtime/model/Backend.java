package dev.shm.runtime.model;

/**
 * Chooses the ND4J native build before ND4J first loads. The build ships only the oneDNN variant
 * ({@code linux-x86_64-onednn}); JavaCPP finds it through the platform extension, which a user may still set
 * ({@code -Dorg.bytedeco.javacpp.platform.extension=...}) when they put another variant on the class path.
 */
public final class Backend {
    private static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private Backend() {
    }

    public static void init() {
        if (System.getProperty(EXTENSION) == null) {
            System.setProperty(EXTENSION, "-onednn");
        }
    }
}
