package dev.shm.spark;

import dev.shm.runtime.model.Backend;
import dev.shm.runtime.train.Parallelism;
import dev.shm.runtime.train.TrainingProcess;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * The Spark configuration of a training run: the user's settings ({@code shm.sparkConf}) over shm's defaults.
 * Results of a round are whole networks, so the driver takes results of any size. On a cluster, executors get the
 * training JVM's jars (those of the Spark installation at {@code $SPARK_HOME} excepted), the JDK openings Spark
 * needs on Java 17 and the module of shm's SIMD training kernels, and the training JVM's environment: OpenMP sized
 * to {@code spark.task.cpus}, glibc's allocator keeping freed memory. In local mode the driver listens on the
 * loopback interface only and shows no web UI.
 */
final class SparkSettings {
    static final String APP_NAME = "shm:train";
    private static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";

    private SparkSettings() {
    }

    static SparkConf of(Parallelism parallelism, String classPath) {
        SparkConf conf = new SparkConf().setMaster(parallelism.sparkMaster()).setAppName(APP_NAME);
        parallelism.sparkConf().forEach(conf::set);
        defaults(parallelism, classPath).forEach(conf::setIfMissing);
        if (!parallelism.sparkInThisJvm()) {
            String own = parallelism.sparkConf().get(EXECUTOR_JAVA_OPTIONS);
            String shmOptions = JavaModuleOptions.defaultModuleOptions() + " " + Backend.VECTOR_OPTION;
            conf.set(EXECUTOR_JAVA_OPTIONS, own == null ? shmOptions : shmOptions + " " + own);
        }
        return conf;
    }

    /** shm's settings for the master {@code parallelism} names, for where the user's leave them open. */
    private static Map<String, String> defaults(Parallelism parallelism, String classPath) {
        if (parallelism.sparkInThisJvm()) {
            return Map.of("spark.driver.maxResultSize", "0", "spark.ui.enabled", "false", "spark.driver.host",
                    "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1");
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("spark.driver.maxResultSize", "0");
        settings.put("spark.jars", String.join(",", SparkWorkers.jarsToShip(classPath,
                SparkWorkers.installedJars(System.getenv("SPARK_HOME")))));
        settings.put("spark.executorEnv.OMP_NUM_THREADS", parallelism.sparkConf().getOrDefault("spark.task.cpus", "1"));
        TrainingProcess.THREADS.forEach((name, value) -> settings.put("spark.executorEnv." + name, value));
        TrainingProcess.Allocator.KEEP.environment()
                .forEach((name, value) -> settings.put("spark.executorEnv." + name, value));
        return settings;
    }

    /** JVM options of a driver in a JVM of its own: the JDK openings Spark needs on Java 17. */
    static List<String> driverJvmOptions() {
        return Arrays.stream(JavaModuleOptions.defaultModuleOptions().split("\\s+")).filter(s -> !s.isBlank()).toList();
    }
}
