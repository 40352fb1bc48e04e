package dev.shm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.train.Parallelism;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSettingsTest {
    private static final String CLASS_PATH = String.join(java.io.File.pathSeparator,
            "/m2/dev/shm/shm-runtime/0.1.0/shm-runtime-0.1.0.jar",
            "/m2/org/apache/spark/spark-core_2.12/3.5.7/spark-core_2.12-3.5.7.jar",
            "/m2/org/scala-lang/scala-library/2.12.18/scala-library-2.12.18.jar",
            "/m2/org/apache/hadoop/hadoop-client-api/3.3.4/hadoop-client-api-3.3.4.jar",
            "/m2/org/nd4j/nd4j-native/1.0.0-M2.1/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn.jar",
            "/work/shm-runtime/target/classes");

    @Test
    void executorsOnAClusterGetShmsJarsTheJdkOpeningsTheVectorModuleAndOneOpenMpThreadPerTaskCpu() {
        SparkConf conf = SparkSettings.of(new Parallelism(0, 5, "spark://host:7077",
                Map.of("spark.task.cpus", "4", "spark.executor.extraJavaOptions", "-Xss4m")), CLASS_PATH);
        assertEquals("spark://host:7077", conf.get("spark.master"));
        assertEquals("/m2/dev/shm/shm-runtime/0.1.0/shm-runtime-0.1.0.jar,"
                + "/m2/org/nd4j/nd4j-native/1.0.0-M2.1/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn.jar",
                conf.get("spark.jars"), "Spark's, Scala's and Hadoop's jars and class folders stay behind");
        String javaOptions = conf.get("spark.executor.extraJavaOptions");
        assertTrue(javaOptions.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED") && javaOptions.endsWith(" -Xss4m"),
                javaOptions);
        assertTrue(javaOptions.contains(" --add-modules=jdk.incubator.vector "), "the SIMD kernels: " + javaOptions);
        assertEquals("4", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("PASSIVE", conf.get("spark.executorEnv.OMP_WAIT_POLICY"));
        assertEquals("1", conf.get("spark.executorEnv.MALLOC_ARENA_MAX"), "the training JVM's allocator");
        assertEquals("0", conf.get("spark.driver.maxResultSize"));
    }

    @Test
    void aSparkInstallationsOwnJarsStayBehindByName() {
        assertEquals(List.of("/m2/dev/shm/shm-runtime/0.1.0/shm-runtime-0.1.0.jar",
                "/m2/org/apache/hadoop/hadoop-client-api/3.3.4/hadoop-client-api-3.3.4.jar",
                "/m2/org/nd4j/nd4j-native/1.0.0-M2.1/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn.jar"),
                SparkWorkers.jarsToShip(CLASS_PATH, java.util.Set.of("spark-core_2.12-3.5.7.jar",
                        "scala-library-2.12.18.jar")));
    }

    @Test
    void theUsersSettingsWinAndLocalModeStaysOnTheLoopbackWithoutAWebUi() {
        SparkConf conf = SparkSettings.of(new Parallelism(0, 5, "local[2]",
                Map.of("spark.ui.enabled", "true", "spark.jars", "/x.jar")), CLASS_PATH);
        assertEquals("true", conf.get("spark.ui.enabled"));
        assertEquals("/x.jar", conf.get("spark.jars"));
        assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
        assertTrue(SparkSettings.driverJvmOptions().contains("--add-opens=java.base/java.nio=ALL-UNNAMED"));
        assertEquals(List.of(), List.of(conf.getAll()).stream().filter(e -> e._1().equals("spark.executorEnv.OMP_NUM_THREADS")).toList());
    }
}
