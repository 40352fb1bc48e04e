package dev.shm.runtime.io;

import dev.shm.runtime.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Up-to-date checks for goals: a fingerprint of a goal's inputs (settings, files by name, size and modification
 * time, the shm version) kept in a stamp file written after the goal's outputs, so an unchanged re-run can skip.
 */
public final class Stamps {
    private Stamps() {
    }

    /** The fingerprint of settings (any text) and input files. */
    public static String fingerprint(String settings, Path... files) {
        StringBuilder text = new StringBuilder(Version.get()).append('\n').append(settings).append('\n');
        for (Path file : files) {
            text.append(file == null ? "-" : describe(file)).append('\n');
        }
        return sha256(text.toString());
    }

    /** The SHA-256 of {@code text} (UTF-8) in hexadecimal: every fingerprint in shm is one. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the stamp holds this fingerprint and every output exists. */
    public static boolean upToDate(Path stamp, String fingerprint, Path... outputs) {
        for (Path output : outputs) {
            if (!Files.exists(output)) {
                return false;
            }
        }
        try {
            return Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(fingerprint);
        } catch (IOException e) {
            return false;
        }
    }

    public static void record(Path stamp, String fingerprint) {
        AtomicFiles.writeString(stamp, fingerprint + "\n");
    }

    /** A file as fingerprints see it: its absolute path, size and modification time ({@code :missing} if absent). */
    public static String describe(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return file.toAbsolutePath().normalize() + ":" + attributes.size() + ":" + attributes.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return file + ":missing";
        }
    }
}
