package dev.shm.maven;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.io.DirectoryLock;
import dev.shm.runtime.progress.json.JsonLinesSink;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.progress.ProgressSink;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every shm goal shares: the configuration file and its overrides, the output directory, {@code shm.force} and
 * {@code shm.skip}, progress to Maven's log and to {@code events.jsonl}, and failures as build failures.
 */
public abstract class AbstractShmMojo extends AbstractMojo {
    /** Every goal's skip properties, which are plugin parameters and never configuration keys. */
    private static final Set<String> GOAL_SKIPS = Stream.of("generate-data", "train", "eval", "export", "infer-ascend", "matte")
            .flatMap(goal -> skipProperties(goal).stream()).collect(Collectors.toSet());

    /** The seed-compatible configuration; defaults to {@code config.yaml} in the project when that file exists. */
    @Parameter(property = "shm.config")
    protected File config;

    /** Where goals write what they make (datasets, checkpoints, reports) unless the configuration says otherwise. */
    @Parameter(property = "shm.outputDirectory", defaultValue = "${project.build.directory}/shm")
    protected File outputDirectory;

    /** Redo the work even when the inputs are unchanged since the last successful run. */
    @Parameter(property = "shm.force", defaultValue = "false")
    protected boolean force;

    /** Skip this goal. */
    @Parameter(property = "shm.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * How long to wait, in seconds, when another build is writing to the same folders (it is named in the log);
     * 0 fails at once.
     */
    @Parameter(property = "shm.lockTimeout", defaultValue = "600")
    protected int lockTimeout;

    /**
     * Single configuration keys by dotted path, for example {@code <generate_data.ksize>5</generate_data.ksize>}.
     * {@code -Dshm.generate_data.ksize=5} on the command line wins over both this and the file.
     */
    @Parameter
    protected Map<String, String> overrides = new LinkedHashMap<>();

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /**
     * The libraries' loggers and the level below which Maven's log hears nothing from them: ND4J's start-up banner
     * (partly lines without a level), DL4J's graph notes and ND4J's TensorFlow-import warnings do not matter to a
     * build. A user's own {@code -Dorg.slf4j.simpleLogger.log.<name>} wins.
     */
    private static final Map<String, String> LIBRARY_LEVELS = Map.of("org.nd4j", "warn", "org.deeplearning4j", "warn",
            "org.bytedeco", "warn", "org.nd4j.imports", "error");

    static void quietLibraries() {
        LIBRARY_LEVELS.forEach((logger, level) -> {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, level);
            }
        });
    }

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        quietLibraries();
        if (skip) {
            getLog().info("shm:" + goal() + " skipped (shm.skip=true)");
            return;
        }
        for (String property : skipProperties(goal())) {
            if (Boolean.parseBoolean(property(property))) {
                getLog().info("shm:" + goal() + " skipped (" + property + "=true)");
                return;
            }
        }
        if (skipped()) {
            return;
        }
        try {
            ShmConfig config = loadConfig();
            validate(config);
            try (DirectoryLock.Held locks = DirectoryLock.acquireAll(writes(config), "shm:" + goal(),
                    Duration.ofSeconds(Math.max(0, lockTimeout)), getLog()::warn);
                    JsonLinesSink events = new JsonLinesSink(outputPath().resolve("events.jsonl"))) {
                run(config, new Progress(goal(), List.of(mavenLog(), events)));
            }
        } catch (ShmException e) {
            throw new MojoFailureException(e.getMessage() + inMaven(e.fix()), e);
        } catch (UncheckedIOException e) {
            throw new MojoFailureException("shm:" + goal() + " could not read or write a file: "
                    + ShmException.explain(e) + "; check that the path exists, is readable or writable, and that the "
                    + "disk has space", e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException("shm:" + goal() + " failed unexpectedly: " + ShmException.explain(e)
                    + "; run Maven with -e for the stack trace", e);
        }
    }

    /** How a runtime remedy is spelled in Maven, as an addition to the message that names it in words. */
    static String inMaven(ShmException.Fix fix) {
        if (fix == null) {
            return "";
        }
        return " (in Maven: " + switch (fix) {
            case FORCE -> "-Dshm.force=true";
            case WAIT_LONGER -> "-Dshm.lockTimeout=<seconds>";
            case DL4J_ENGINE -> "-Dshm.engine=dl4j";
            case DATASET -> "-Dshm.dataUrl=<folder>";
            case PHASES -> "-Dshm.phases=pre_train_t_net,end_to_end";
            case GROUND_TRUTH -> "-Dshm.groundTruth=<folder>";
            case OUTPUT_DIRECTORY -> "-Dshm.outputDirectory=<folder>";
            case CONFIG_FILE -> "leave shm.config unset";
            case SPARK_MODULE -> "inside the shm-maven-plugin <plugin> element, add <dependencies><dependency><groupId>"
                    + "dev.shm</groupId><artifactId>shm-spark</artifactId><version>" + dev.shm.runtime.Version.get()
                    + "</version></dependency></dependencies>, or leave shm.sparkMaster unset";
        } + ")";
    }

    /** Says, after a goal found its outputs up to date, how a Maven user redoes the work anyway. */
    protected void upToDate() {
        getLog().info("shm:" + goal() + ": nothing to do, the inputs are unchanged since the last run (-Dshm.force=true "
                + "redoes it)");
    }

    /** The goal's name without prefix, as in {@code generate-data}. */
    protected abstract String goal();

    /** Whether this goal skips for a reason of its own (eval honours skipTests), having said so. */
    protected boolean skipped() {
        return false;
    }

    /** A goal's own skip properties, like {@code jib.skip}: {@code shm.<goal>.skip} and its camel-case form. */
    static List<String> skipProperties(String goal) {
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : goal.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString().equals(goal) ? List.of("shm." + goal + ".skip")
                : List.of("shm." + goal + ".skip", "shm." + camel + ".skip");
    }

    /** A property as Maven resolves it for this build: the command line, the system, then the project's. */
    private String property(String name) {
        String value = session.getUserProperties().getProperty(name);
        if (value == null) {
            value = session.getSystemProperties().getProperty(name);
        }
        if (value == null && project != null) {
            value = project.getProperties().getProperty(name);
        }
        return value;
    }

    /** Refuses, before anything is written, a configuration this goal cannot run with. */
    protected void validate(ShmConfig config) {
    }

    /** The folders this goal writes to, locked against other builds while it runs; the output directory at least. */
    protected List<Path> writes(ShmConfig config) {
        return List.of(outputPath());
    }

    /** Single-key overrides this goal's own parameters stand for (parameter values win over the file). */
    protected Map<String, String> parameterOverrides() {
        return Map.of();
    }

    protected abstract void run(ShmConfig config, Progress progress) throws MojoFailureException;

    /** Whether the goal runs without a project (a goal with {@code requiresProject = false}, outside any). */
    protected boolean standalone() {
        return project == null || project.getFile() == null;
    }

    protected Path baseDir() {
        return project.getBasedir() != null ? project.getBasedir().toPath() : Path.of("").toAbsolutePath();
    }

    /** A path parameter as given (relative ones against the project), or {@code null} when it is unset. */
    protected Path resolve(File file) {
        return file == null ? null : baseDir().resolve(file.toPath()).toAbsolutePath().normalize();
    }

    protected Path outputPath() {
        return resolve(outputDirectory);
    }

    /** Where shm:export writes the model and shm:infer-ascend looks for it. */
    protected Path exportDirectory() {
        return outputPath().resolve("export");
    }

    ShmConfig loadConfig() {
        Path file = configFile();
        if (file != null) {
            getLog().debug("shm configuration: " + file);
        }
        ConfigLoader loader = new ConfigLoader(baseDir(), outputPath());
        ShmConfig config = loader.load(file, configOverrides());
        loader.warnings().forEach(getLog()::warn);
        return config;
    }

    /** The configuration file: {@code config}, else the project's {@code config.yaml}, else none. */
    protected Path configFile() {
        Path file = resolve(config);
        if (file == null && baseDir().resolve("config.yaml").toFile().isFile()) {
            file = baseDir().resolve("config.yaml");
        }
        return file;
    }

    /** Every single-key override, weakest first: the POM's, this goal's parameters', then the properties'. */
    protected Map<String, String> configOverrides() {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(parameterOverrides());
        if (project != null) {
            all.putAll(propertyOverrides(project.getProperties()));
        }
        all.putAll(propertyOverrides(session.getSystemProperties()));
        all.putAll(propertyOverrides(session.getUserProperties()));
        return all;
    }

    /** {@code shm.<section>.<key>} and {@code shm.<top-level key>} properties; other {@code shm.*} are parameters. */
    static Map<String, String> propertyOverrides(Properties properties) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith("shm.")) {
                continue;
            }
            String key = name.substring(4);
            if (ConfigLoader.isKey(key) && !GOAL_SKIPS.contains(name)) {
                result.put(key, properties.getProperty(name));
            }
        }
        return result;
    }

    private ProgressSink mavenLog() {
        return event -> {
            String line = event.message();
            switch (event.kind()) {
                case "warn" -> getLog().warn(line);
                default -> getLog().info(line);
            }
        };
    }
}
