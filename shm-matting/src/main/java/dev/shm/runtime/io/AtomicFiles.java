package dev.shm.runtime.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.stream.Stream;

/**
 * Writes that a reader never sees half done: files go to a temporary sibling and are renamed into place, and whole
 * directories are built beside their target and swapped in.
 */
public final class AtomicFiles {
    private static final String PARTIAL = ".partial";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** A file's content written by {@code writer} into a temporary sibling that then replaces the file. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path temporary) throws IOException;
    }

    public static void write(Path target, byte[] content) {
        write(target, temporary -> Files.write(temporary, content));
    }

    /**
     * Runs {@code writer} on a new temporary sibling of {@code target}, then renames it into place. The sibling is
     * created with the permissions of any new file (the umask applies), so outputs are as readable as Maven's own.
     */
    public static void write(Path target, Writer writer) {
        Path temporary = null;
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            temporary = newSibling(target);
            writer.writeTo(temporary);
            move(temporary, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a leftover .partial is removed by removePartials on the next run
                }
            }
        }
    }

    /** Copies {@code from} to {@code to} through a temporary sibling, so {@code to} is never half written. */
    public static void copy(Path from, Path to) {
        write(to, temporary -> Files.copy(from, temporary, StandardCopyOption.REPLACE_EXISTING));
    }

    /** Removes the temporary siblings ({@code .<name>.<n>.partial} files) an interrupted run left in {@code folder}. */
    public static int removePartials(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            int removed = 0;
            for (Path file : files.filter(AtomicFiles::isPartial).toList()) {
                Files.deleteIfExists(file);
                removed++;
            }
            return removed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + folder, e);
        }
    }

    private static boolean isPartial(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(PARTIAL) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    private static Path newSibling(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        while (true) {
            Path candidate = parent.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                    + PARTIAL);
            try {
                Files.newByteChannel(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException e) {
                // drawn twice: draw again
            }
        }
    }

    public static void writeString(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code target} by the finished directory {@code staging}: the old target is moved aside, the new one
     * renamed in, then the old one deleted. A crash leaves either the old or the new directory under the target name.
     */
    public static void publishDirectory(Path staging, Path target) {
        Path previous = target.resolveSibling("." + target.getFileName() + ".previous");
        try {
            deleteRecursively(previous);
            if (Files.exists(target)) {
                move(target, previous);
            }
            move(staging, target);
            deleteRecursively(previous);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + staging + " to " + target, e);
        }
    }

    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
