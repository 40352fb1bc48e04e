package dev.shm.spark;

import dev.shm.runtime.train.Parallelism;
import dev.shm.runtime.train.TrainingProcess;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * The Spark configuration of a training run: the user's settings ({@code shm.sparkConf}) over shm's defaults.
 * Results of a round are whole networks, so the driver takes results of any size. On a cluster, executors get the
 * training JVM's jars (those of the Spark installation at {@code $SPARK_HOME} excepted), the JDK openings Spark
 * needs on Java 17, and the training JVM's environment: OpenMP sized to {@code spark.task.cpus}, glibc's allocator
 * keeping freed memory. In local mode the driver listens on the loopback interface only and shows no web UI.
 */
final class SparkSettings {
    static final String APP_NAME = "shm:train";
    private static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";

    private SparkSettings() {
    }

    static SparkConf of(Parallelism parallelism, String classPath) {
        SparkConf conf = new SparkConf().setMaster(parallelism.sparkMaster()).setAppName(APP_NAME);
        parallelism.sparkConf().forEach(conf::set);
        defaults(parallelism.sparkMaster(), parallelism.sparkConf(), classPath).forEach(conf::set);
        return conf;
    }

    /**
     * shm's settings for {@code master} where the user's ({@code user}) leave them open; the executors' Java options
     * are the JDK openings followed by the user's own.
     */
    static Map<String, String> defaults(String master, Map<String, String> user, String classPath) {
        Map<String, String> defaults = new java.util.HashMap<>(all(master, user, classPath));
        defaults.keySet().removeIf(key -> user.containsKey(key) && !key.equals(EXECUTOR_JAVA_OPTIONS));
        return defaults;
    }

    private static Map<String, String> all(String master, Map<String, String> user, String classPath) {
        if (isLocal(master)) {
            return Map.of("spark.driver.maxResultSize", "0", "spark.ui.enabled", "false", "spark.driver.host",
                    "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1");
        }
        String javaOptions = JavaModuleOptions.defaultModuleOptions();
        String extra = user.get(EXECUTOR_JAVA_OPTIONS);
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("spark.driver.maxResultSize", "0");
        settings.put("spark.jars", String.join(",", SparkWorkers.jarsToShip(classPath,
                SparkWorkers.installedJars(System.getenv("SPARK_HOME")))));
        settings.put(EXECUTOR_JAVA_OPTIONS, extra == null ? javaOptions : javaOptions + " " + extra);
        settings.put("spark.executorEnv.OMP_NUM_THREADS", user.getOrDefault("spark.task.cpus", "1"));
        TrainingProcess.THREADS.forEach((name, value) -> settings.put("spark.executorEnv." + name, value));
        TrainingProcess.Allocator.KEEP.environment()
                .forEach((name, value) -> settings.put("spark.executorEnv." + name, value));
        return settings;
    }

    /** JVM options of a driver in a JVM of its own: the JDK openings Spark needs on Java 17. */
    static List<String> driverJvmOptions() {
        return Arrays.stream(JavaModuleOptions.defaultModuleOptions().split("\\s+")).filter(s -> !s.isBlank()).toList();
    }

    static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[");
    }
}
