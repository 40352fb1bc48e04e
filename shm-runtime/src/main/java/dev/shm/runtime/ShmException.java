package dev.shm.runtime;

/** A failure a user can act on: the message names the file, key or value and what was expected. */
public class ShmException extends RuntimeException {
    public ShmException(String message) {
        super(message);
    }

    public ShmException(String message, Throwable cause) {
        super(message, cause);
    }
}
