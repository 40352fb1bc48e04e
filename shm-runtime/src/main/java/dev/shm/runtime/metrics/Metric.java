package dev.shm.runtime.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The matting metrics shm reports; lower is better for each. {@link #key()} is the name in reports. */
public enum Metric {
    SAD,
    MSE,
    GRAD,
    CONN;

    /** The metric's name in reports and report.json: {@code sad}, {@code mse}, {@code grad}, {@code conn}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name of its threshold: {@code maxSad}, {@code maxMse}, {@code maxGrad}, {@code maxConn}. */
    public String threshold() {
        return "max" + name().charAt(0) + key().substring(1);
    }

    /** The metric named {@code key}, as {@link #key()} writes it. */
    public static Metric parse(String key) {
        for (Metric metric : values()) {
            if (metric.key().equals(key)) {
                return metric;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + key + "'; expected one of "
                + Arrays.stream(values()).map(Metric::key).collect(Collectors.joining(", ")));
    }
}
