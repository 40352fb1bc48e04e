package dev.shm.runtime;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** A failure a user can act on: the message names the file, key or value and what was expected. */
public class ShmException extends RuntimeException {
    /**
     * A remedy whose spelling depends on the front end (a Maven property, a command-line flag), which that front end
     * adds to the message; the message itself says it in words.
     */
    public enum Fix {
        /** Redo the work although the inputs are unchanged. */
        FORCE,
        /** Wait longer for another build that holds the folder. */
        WAIT_LONGER,
        /** Run the model in DL4J instead of ONNX Runtime. */
        DL4J_ENGINE,
        /** Name the dataset to read. */
        DATASET,
        /** Choose the training phases to run. */
        PHASES,
        /** Name the folder of ground-truth mattes. */
        GROUND_TRUTH,
        /** Move the output directory. */
        OUTPUT_DIRECTORY,
        /** Name the configuration file. */
        CONFIG_FILE,
        /** Put the Spark module on the classpath. */
        SPARK_MODULE
    }

    private final Fix fix;

    public ShmException(String message) {
        this(message, (Fix) null);
    }

    public ShmException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public ShmException(String message, Fix fix) {
        super(message);
        this.fix = fix;
    }

    public ShmException(String message, Fix fix, Throwable cause) {
        super(message, cause);
        this.fix = fix;
    }

    /** The front-end remedy this failure names in words, or {@code null}. */
    public Fix fix() {
        return fix;
    }

    /**
     * What went wrong, from any failure: the messages along its chain of causes, each said once, with the type of
     * failure where a message alone would not say it (for example {@code NoSuchFileException: /data/x.png}).
     */
    public static String explain(Throwable failure) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t.getCause() != null && t.getCause().toString().equals(t.getMessage())) {
                continue;
            }
            String message = t.getMessage() == null || t.getMessage().isBlank()
                    || t instanceof java.nio.file.FileSystemException ? describe(t) : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }

    private static String describe(Throwable t) {
        String message = t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + t.getMessage();
        return t.getClass().getSimpleName() + message;
    }
}
