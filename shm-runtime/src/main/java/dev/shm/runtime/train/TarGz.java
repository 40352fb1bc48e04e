package dev.shm.runtime.train;

import dev.shm.runtime.ShmException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** Text files out of a gzipped tar (an npm package as the registry serves it), without unpacking it anywhere. */
final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {
    }

    /** The UTF-8 contents of the entries named {@code wanted} (paths inside the archive) that the archive holds. */
    static Map<String, String> texts(Path archive, Set<String> wanted) {
        Map<String, String> found = new HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            while (found.size() < wanted.size()) {
                byte[] header = in.readNBytes(BLOCK);
                if (header.length < BLOCK || header[0] == 0) {
                    break;
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                String path = prefix.isEmpty() ? name : prefix + "/" + name;
                String octalSize = field(header, 124, 12).trim();
                long size = octalSize.isEmpty() ? 0 : Long.parseLong(octalSize, 8);
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if (wanted.contains(path) && header[156] != '5') {
                    found.put(path, new String(in.readNBytes((int) size), StandardCharsets.UTF_8));
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ShmException("Cannot read the archive " + archive + " (" + e.getMessage() + "); expected a .tgz "
                    + "as the npm registry serves packages", e);
        }
        return found;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
