package dev.shm.runtime.io;

import dev.shm.runtime.ShmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One build at a time in a folder: an operating-system lock on {@code <folder>/.shm.lock}, whose text names the
 * holder (goal, process id, host, start time) while it is held. The system releases the lock when its holder dies,
 * so a killed build never leaves the folder locked.
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE = ".shm.lock";
    private static final long POLL_MILLIS = 200;
    /** Folders this process holds: a second channel on a locked file would drop the lock when it closes. */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks every folder of {@code folders} that is not inside another of them, in one order for every build so two
     * builds never wait for each other; see {@link #acquire}. Closing the list releases them all.
     */
    public static Held acquireAll(Collection<Path> folders, String holder, Duration patience,
            Consumer<String> waiting) {
        List<Path> outermost = outermost(folders);
        List<DirectoryLock> locks = new ArrayList<>();
        try {
            for (Path folder : outermost) {
                locks.add(acquire(folder, holder, patience, waiting));
            }
            return new Held(locks);
        } catch (RuntimeException e) {
            new Held(locks).close();
            throw e;
        }
    }

    /** The folders of {@code folders}, absolute and sorted, without any that lies inside another. */
    static List<Path> outermost(Collection<Path> folders) {
        List<Path> sorted = folders.stream().map(f -> f.toAbsolutePath().normalize()).distinct().sorted().toList();
        List<Path> result = new ArrayList<>();
        for (Path folder : sorted) {
            if (result.stream().noneMatch(folder::startsWith)) {
                result.add(folder);
            }
        }
        return result;
    }

    /** Locks held together, released in reverse order. */
    public record Held(List<DirectoryLock> locks) implements AutoCloseable {
        @Override
        public void close() {
            for (int i = locks.size() - 1; i >= 0; i--) {
                locks.get(i).close();
            }
        }
    }

    /**
     * Locks {@code folder} for {@code holder} (for example {@code shm:eval}), waiting up to {@code patience} for
     * another build to finish; {@code waiting} hears once whom it waits for.
     *
     * @throws ShmException when the folder is still held after {@code patience}, naming the holder
     */
    public static DirectoryLock acquire(Path folder, String holder, Duration patience, Consumer<String> waiting) {
        Path dir = folder.toAbsolutePath().normalize();
        Instant deadline = Instant.now().plus(patience);
        boolean announced = false;
        while (true) {
            DirectoryLock lock = tryAcquire(dir, holder);
            if (lock != null) {
                return lock;
            }
            String other = holderOf(dir);
            if (!Instant.now().isBefore(deadline)) {
                throw new ShmException(dir + " is in use by another build (" + other + "); wait for it to finish, "
                        + "or let this build wait longer for it (now " + patience.toSeconds() + " s)", ShmException.Fix.WAIT_LONGER);
            }
            if (!announced) {
                waiting.accept("Waiting up to " + patience.toSeconds() + " s for " + other + " to finish with " + dir);
                announced = true;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShmException("interrupted while waiting for " + other + " to finish with " + dir, e);
            }
        }
    }

    /** Who holds {@code folder}'s lock, as its lock file says; a lock taken a moment ago may not say yet. */
    public static String holderOf(Path folder) {
        try {
            String text = Files.readString(folder.resolve(FILE), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "a build that has not named itself yet" : text;
        } catch (IOException e) {
            return "a build whose lock file cannot be read (" + e.getMessage() + ")";
        }
    }

    /** What a holder writes into the lock file: goal, process id, host and start time. */
    static String describe(String holder) {
        return holder + ", pid " + ProcessHandle.current().pid() + " on " + hostName() + ", since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static DirectoryLock tryAcquire(Path dir, String holder) {
        if (!HELD_HERE.add(dir)) {
            return null;
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                HELD_HERE.remove(dir);
                return null;
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((describe(holder) + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new DirectoryLock(dir, channel, lock);
        } catch (IOException e) {
            HELD_HERE.remove(dir);
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + dir.resolve(FILE), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + folder.resolve(FILE), e);
        } finally {
            closeQuietly(channel);
            HELD_HERE.remove(folder);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel either way
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "an unnamed host";
        }
    }
}
