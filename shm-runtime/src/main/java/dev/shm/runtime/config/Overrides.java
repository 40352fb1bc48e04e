package dev.shm.runtime.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Single-key overrides by dotted key path ({@code generate_data.ksize}); each must name a key the loader reads. */
final class Overrides {
    private final Map<String, String> values;
    private final Set<String> taken = new LinkedHashSet<>();

    Overrides(Map<String, String> values) {
        this.values = new LinkedHashMap<>(values);
    }

    String take(String keyPath) {
        String value = values.get(keyPath);
        if (value != null) {
            taken.add(keyPath);
        }
        return value;
    }

    boolean wasOverridden(String keyPath) {
        return taken.contains(keyPath);
    }

    void rejectUnused() {
        for (String keyPath : values.keySet()) {
            if (!taken.contains(keyPath)) {
                throw new ConfigException("property shm." + keyPath + ": unknown key '" + keyPath
                        + "'; override a key of config.yaml such as shm.generate_data.ksize");
            }
        }
    }
}
