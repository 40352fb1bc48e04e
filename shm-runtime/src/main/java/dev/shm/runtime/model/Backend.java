package dev.shm.runtime.model;

/**
 * Chooses the ND4J native build before ND4J first loads. The build ships the oneDNN variant where ND4J has one
 * ({@code linux-x86_64-onednn}, macOS x86-64, Windows) and the plain build elsewhere (ARM); JavaCPP finds the oneDNN
 * one through the platform extension, which a user may still set
 * ({@code -Dorg.bytedeco.javacpp.platform.extension=...}) when they put another variant on the class path.
 *
 * <p>It also switches on DL4J's oneDNN layer helpers (convolution, batch normalisation, pooling), which DL4J
 * 1.0.0-M2.1 leaves off by default and could not find even when asked (shm-dl4j-shim answers its look-up);
 * {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true} turns them off again.
 */
public final class Backend {
    private static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";
    /** DL4J's switch for its layer helpers; "true" runs every layer in DL4J's own code. */
    public static final String HELPERS_DISABLED = "org.eclipse.deeplearning4j.helpers.disable";

    /** The JDK module of the SIMD training kernels; a JVM has it with {@code --add-modules=jdk.incubator.vector}. */
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** The JVM option that gives a JVM the SIMD training kernels. */
    public static final String VECTOR_OPTION = "--add-modules=" + VECTOR_MODULE;
    private static final boolean VECTORS = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();

    private Backend() {
    }

    /**
     * Whether this JVM can run shm's SIMD training kernels (started with {@link #VECTOR_OPTION}, as the training
     * process is); without it those layers run libnd4j's ops.
     */
    public static boolean vectorKernels() {
        return VECTORS;
    }

    /** Whether ND4J's oneDNN build for this platform is on the class path (there is none for ARM). */
    static boolean hasOneDnnBuild() {
        String platform = org.bytedeco.javacpp.Loader.getPlatform();
        return Backend.class.getClassLoader().getResource("org/nd4j/linalg/cpu/nativecpu/bindings/" + platform
                + "-onednn/" + System.mapLibraryName("jnind4jcpu")) != null;
    }

    /**
     * Whether DL4J's layer helpers are on, read as DL4J reads its switch when it makes a layer. shm's own training
     * kernels run only then; with the helpers off every layer is DL4J's own code.
     */
    public static boolean helpersOn() {
        return !Boolean.getBoolean(HELPERS_DISABLED);
    }

    public static void init() {
        if (System.getProperty(EXTENSION) == null && hasOneDnnBuild()) {
            System.setProperty(EXTENSION, "-onednn");
        }
        if (System.getProperty(HELPERS_DISABLED) == null) {
            System.setProperty(HELPERS_DISABLED, "false");
        }
    }
}
