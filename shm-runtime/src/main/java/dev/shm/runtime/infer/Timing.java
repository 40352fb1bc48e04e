package dev.shm.runtime.infer;

import dev.shm.runtime.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The seed's timing file, {@code NN inference cost average time: X ms of infer_count N}, accumulated across resumes. */
final class Timing {
    private static final Pattern LINE =
            Pattern.compile("NN inference cost average time: ([0-9.]+) ms of infer_count ([0-9]+)");

    private Timing() {
    }

    static void record(Path file, double totalMillis, int count) {
        double[] previous = read(file);
        int n = (int) previous[1] + count;
        double average = n == 0 ? 0 : (previous[0] * previous[1] + totalMillis) / n;
        AtomicFiles.writeString(file, String.format(Locale.ROOT,
                "NN inference cost average time: %.3f ms of infer_count %d%n", average, n));
    }

    static double average(Path file) {
        return read(file)[0];
    }

    private static double[] read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new double[] {0, 0};
        }
        try {
            Matcher m = LINE.matcher(Files.readString(file));
            return m.find() ? new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))}
                    : new double[] {0, 0};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
