package dev.shm.runtime.data;

import dev.shm.runtime.ShmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The list files ({@code train.txt}, ...): one sample a line, {@code <image> <matte>}, each path relative to the
 * split's folder when it lies inside it and absolute otherwise. Where either path holds whitespace, a tab separates
 * them instead of the space, and the line is read as written; a path with a tab or a line break cannot be listed.
 */
public final class DatasetLists {
    private DatasetLists() {
    }

    public static String line(Path splitDir, Path image, Path matte) {
        String imageName = relative(splitDir, image);
        String matteName = relative(splitDir, matte);
        for (String name : List.of(imageName, matteName)) {
            if (name.indexOf('\t') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
                throw new ShmException("Cannot list " + name + ": a file name with a tab or a line break cannot be"
                        + " written to a list file; rename it");
            }
        }
        boolean whitespace = (imageName + matteName).chars().anyMatch(Character::isWhitespace);
        return imageName + (whitespace ? "\t" : " ") + matteName;
    }

    public static List<Entry> read(Path listFile) {
        if (!Files.isRegularFile(listFile)) {
            throw new ShmException("The list file " + listFile + " does not exist; run shm:generate-data first");
        }
        Path dir = listFile.toAbsolutePath().getParent();
        List<Entry> entries = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(listFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ShmException("Cannot read the list file " + listFile + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = lines.get(i).indexOf('\t') >= 0 ? lines.get(i).split("\t", -1) : text.split("\\s+");
            if (parts.length != 2) {
                throw new ShmException(listFile + " line " + (i + 1) + ": expected '<image> <matte>' (a tab between"
                        + " them where a name holds a space), got '" + text + "'");
            }
            entries.add(new Entry(dir.resolve(parts[0]).normalize(), dir.resolve(parts[1]).normalize()));
        }
        return entries;
    }

    private static String relative(Path dir, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = dir.toAbsolutePath().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute).toString().replace('\\', '/') : absolute.toString();
    }

    /** One listed sample. */
    public record Entry(Path image, Path matte) {
    }
}
