package dev.shm.runtime.train;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.Version;
import dev.shm.runtime.progress.Progress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * How a phase's steps are spread: {@code workers} copies of the network, each fitting its own batches, averaged
 * every {@code averagingFrequency} steps of each; on threads of the training JVM, or on the Spark cluster
 * {@code sparkMaster} names ({@code local[N]}, {@code spark://host:port}, {@code yarn}, {@code k8s://...}) with
 * {@code sparkConf}'s settings. One worker and no master is a plain fit. {@code workers} 0 on Spark takes as many as
 * the cluster has task slots.
 */
public record Parallelism(int workers, int averagingFrequency, String sparkMaster, Map<String, String> sparkConf) {
    public static final int DEFAULT_AVERAGING_FREQUENCY = 5;

    public Parallelism {
        if (workers < 0 || (workers == 0 && sparkMaster == null)) {
            throw new ShmException("shm.workers is " + workers + ": expected 1 or more (0 only with a Spark master, "
                    + "for as many as it has task slots)");
        }
        if (averagingFrequency < 1) {
            throw new ShmException("shm.averagingFrequency is " + averagingFrequency + ": expected the number of steps "
                    + "each worker takes between averagings, 1 or more");
        }
        sparkMaster = sparkMaster == null || sparkMaster.isBlank() ? null : sparkMaster.trim();
        sparkConf = Map.copyOf(sparkConf);
    }

    /**
     * As a user asks for it: {@code workers} unset means a plain fit without a master and every task slot (0) with
     * one; {@code sparkConf} as {@link #parseConf} reads it.
     */
    public static Parallelism of(Integer workers, int averagingFrequency, String sparkMaster, String sparkConf) {
        boolean onSpark = sparkMaster != null && !sparkMaster.isBlank();
        return new Parallelism(workers != null ? workers : onSpark ? 0 : 1, averagingFrequency, sparkMaster,
                parseConf(sparkConf));
    }

    public static Parallelism single() {
        return new Parallelism(1, DEFAULT_AVERAGING_FREQUENCY, null, Map.of());
    }

    public boolean onSpark() {
        return sparkMaster != null;
    }

    /** Spark settings written {@code key=value,key=value}, as {@code -Dshm.sparkConf} takes them. */
    public static Map<String, String> parseConf(String text) {
        Map<String, String> conf = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return conf;
        }
        for (String pair : text.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new ShmException("shm.sparkConf has '" + pair.trim() + "': expected key=value pairs separated by "
                        + "commas, as in spark.executor.memory=8g,spark.task.cpus=4");
            }
            conf.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return conf;
    }

    /**
     * OpenMP threads for each worker that runs in this JVM, so that the workers share the {@code cores} rather than
     * each taking them all; 0 where the workers run elsewhere or there is one fit, which leaves OpenMP's default.
     */
    public int threadsPerWorker(int cores) {
        int local;
        if (!onSpark()) {
            local = workers;
        } else if (!sparkInThisJvm()) {
            return 0;
        } else if (sparkMaster.equals("local")) {
            local = 1;
        } else {
            String slots = sparkMaster.substring("local[".length(), sparkMaster.length() - 1).split(",")[0].trim();
            local = workers > 0 ? workers : slots.equals("*") ? cores : Integer.parseInt(slots);
        }
        return local > 1 ? Math.max(1, cores / local) : 0;
    }

    /** Whether the Spark master runs its tasks in the driver's JVM: {@code local} and {@code local[...]}. */
    public boolean sparkInThisJvm() {
        return onSpark() && (sparkMaster.equals("local") || sparkMaster.startsWith("local["));
    }

    /** The workers this asks for, or null for a plain fit. */
    Workers open(Progress progress) {
        if (onSpark()) {
            return sparkEngine().open(this, progress);
        }
        return workers > 1 ? new ThreadWorkers(workers) : null;
    }

    /** Fails now, naming the module to add, when this asks for Spark and Spark training is not on the classpath. */
    public void checkEngine() {
        if (onSpark()) {
            sparkEngine();
        }
    }

    /** The options a JVM started to train with this needs on its command line. */
    public List<String> jvmOptions() {
        return onSpark() ? sparkEngine().jvmOptions(this) : List.of();
    }

    private WorkersProvider sparkEngine() {
        return ServiceLoader.load(WorkersProvider.class, Parallelism.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new ShmException("shm.sparkMaster is '" + sparkMaster + "', and Spark training is"
                        + " not on the classpath: add dev.shm:shm-spark:" + Version.get() + " beside shm-runtime",
                        ShmException.Fix.SPARK_MODULE));
    }
}
