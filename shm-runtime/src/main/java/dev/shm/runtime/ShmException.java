package dev.shm.runtime;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** A failure a user can act on: the message names the file, key or value and what was expected. */
public class ShmException extends RuntimeException {
    public ShmException(String message) {
        super(message);
    }

    public ShmException(String message, Throwable cause) {
        super(message, cause);
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
