package dev.shm.spark;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.model.ConvolutionScratch;
import dev.shm.runtime.train.Parallelism;
import dev.shm.runtime.train.Round;
import dev.shm.runtime.train.RoundResult;
import dev.shm.runtime.train.RoundWorker;
import dev.shm.runtime.train.Workers;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Workers as the tasks of one Spark barrier stage per round: Spark starts all of a round's tasks together or none,
 * and a failed task reruns the whole round, which is what a synchronous average needs. Each round's network state
 * travels to the executors as a broadcast and comes back as the tasks' results.
 */
final class SparkWorkers implements Workers {
    private final JavaSparkContext context;
    private final int count;
    private final String master;
    private final boolean inThisJvm;

    SparkWorkers(Parallelism parallelism) {
        this.master = parallelism.sparkMaster();
        this.inThisJvm = parallelism.sparkInThisJvm();
        this.context = new JavaSparkContext(SparkSettings.of(parallelism, System.getProperty("java.class.path")));
        context.setLogLevel(context.getConf().get("spark.log.level", "WARN"));
        this.count = parallelism.workers() > 0 ? parallelism.workers()
                : Math.max(1, context.defaultParallelism() / context.getConf().getInt("spark.task.cpus", 1));
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int inThisJvm() {
        return inThisJvm ? count : 0;
    }

    @Override
    public List<RoundResult> run(Round round) {
        Broadcast<Round> shared = null;
        try {
            shared = context.broadcast(round);
            List<Integer> workers = IntStream.range(0, round.workers()).boxed().toList();
            ClassTag<RoundResult> type = ClassTag$.MODULE$.apply(RoundResult.class);
            List<RoundResult> results = new ArrayList<>(context.parallelize(workers, workers.size()).rdd().barrier()
                    .mapPartitions(new FitShare(shared), false, type).toJavaRDD().collect());
            results.sort(Comparator.comparingInt(RoundResult::worker));
            return results;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new ShmException("A Spark round of " + round.workers() + " tasks on " + master + " failed: " + message
                    + (message.contains("slots") ? "; a round needs as many free task slots as shm.workers (0 takes"
                            + " the cluster's default parallelism)" : ""), e);
        } finally {
            if (shared != null) {
                shared.destroy();
            }
        }
    }

    @Override
    public String describe() {
        return "Spark " + master + ", " + count + " tasks";
    }

    @Override
    public void close() {
        context.stop();
    }

    /** A task's share of the broadcast round; its thread's native buffers go with the task. */
    static final class FitShare extends AbstractFunction1<Iterator<Integer>, Iterator<RoundResult>>
            implements Serializable {
        private final Broadcast<Round> round;

        FitShare(Broadcast<Round> round) {
            this.round = round;
        }

        @Override
        public Iterator<RoundResult> apply(Iterator<Integer> workers) {
            List<RoundResult> results = new ArrayList<>();
            try {
                while (workers.hasNext()) {
                    results.add(RoundWorker.fit(round.value(), workers.next()));
                }
            } finally {
                Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
                ConvolutionScratch.release();
            }
            return JavaConverters.asScalaIterator(results.iterator());
        }
    }

    /**
     * Classpath entries a cluster's executors lack: every jar but those of Spark's installation ({@code sparkJars},
     * the file names in {@code $SPARK_HOME/jars}), or where that is unknown, but Spark's, Scala's and Hadoop's own.
     */
    static List<String> jarsToShip(String classPath, Set<String> sparkJars) {
        List<String> jars = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            boolean spark = sparkJars.isEmpty()
                    ? path.contains("/org/apache/spark/") || path.contains("/org/scala-lang/")
                            || path.contains("/org/apache/hadoop/")
                    : sparkJars.contains(path.substring(path.lastIndexOf('/') + 1));
            if (path.endsWith(".jar") && !spark) {
                jars.add(entry);
            }
        }
        return jars;
    }

    /** The jar file names of the Spark installation at {@code sparkHome}, or none where it is unset or absent. */
    static Set<String> installedJars(String sparkHome) {
        if (sparkHome == null) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(Path.of(sparkHome, "jars"))) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }
}
