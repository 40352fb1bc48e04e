package dev.shm.runtime.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The training phases, in the order they run; {@link #key()} is the configuration section and folder name. */
public enum Phase {
    PRE_TRAIN_T_NET,
    PRE_TRAIN_M_NET,
    END_TO_END;

    /** {@code pre_train_t_net}, {@code pre_train_m_net} or {@code end_to_end}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return key();
    }

    /** The phase whose {@link #key()} is {@code key}. */
    public static Phase parse(String key) {
        for (Phase phase : values()) {
            if (phase.key().equals(key.trim())) {
                return phase;
            }
        }
        throw new ConfigException("Unknown training phase '" + key + "'; choose from "
                + Arrays.stream(values()).map(Phase::key).collect(Collectors.joining(", ")));
    }
}
