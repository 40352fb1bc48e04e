package dev.shm.runtime.config;

import dev.shm.runtime.ShmException;

/** A configuration value that is missing, of the wrong type or impossible; the message names its key path and line. */
public class ConfigException extends ShmException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Fix fix) {
        super(message, fix);
    }
}
