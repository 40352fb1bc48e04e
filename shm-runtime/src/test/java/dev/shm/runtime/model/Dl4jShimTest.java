package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.junit.jupiter.api.Test;

/**
 * shm-dl4j-shim's {@code org.nd4j.nativeblas.Nd4jCpu} answers one release's look-up. On another DL4J this fails:
 * check whether its helpers still look the class up, drop the shim if they find oneDNN themselves, then update
 * {@link #VERIFIED_ON}.
 */
class Dl4jShimTest {
    static final String VERIFIED_ON = "1.0.0-M2.1";

    @Test
    void theDl4jInUseIsTheReleaseTheShimWasVerifiedOn() throws IOException {
        Properties pom = new Properties();
        try (InputStream in = BaseMKLDNNHelper.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            pom.load(in);
        }
        assertEquals(VERIFIED_ON, pom.getProperty("version"), "shm-dl4j-shim was verified on DL4J " + VERIFIED_ON);
    }

    @Test
    void dl4jFindsItsOneDnnSwitchThroughTheShim() {
        Backend.init();
        assertTrue(BaseMKLDNNHelper.mklDnnEnabled(), "DL4J's helpers find oneDNN, so they run its layers");
    }
}
