package dev.shm.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MavenHintsTest {
    @Test
    void everyRuntimeRemedyIsSpelledAsAMavenProperty() {
        assertEquals(" (in Maven: -Dshm.force=true)", AbstractShmMojo.inMaven(ShmException.Fix.FORCE));
        assertEquals("", AbstractShmMojo.inMaven(null));
        for (ShmException.Fix fix : ShmException.Fix.values()) {
            assertTrue(AbstractShmMojo.inMaven(fix).contains("shm."), fix.name());
        }
    }

    @Test
    void onlyConfigurationKeysAmongShmPropertiesAreOverrides() {
        Properties properties = new Properties();
        properties.setProperty("shm.generate_data.ksize", "5");
        properties.setProperty("shm.seed", "7");
        properties.setProperty("shm.force", "true");
        properties.setProperty("other.key", "x");
        assertEquals(Map.of("generate_data.ksize", "5", "seed", "7"), AbstractShmMojo.propertyOverrides(properties));
    }
}
