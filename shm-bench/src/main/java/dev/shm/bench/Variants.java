package dev.shm.bench;

import dev.shm.runtime.model.Backend;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a benchmark's child JVM once per native configuration (a JVM loads one ND4J native build) and relays its
 * table rows ({@code | VARIANT | ...}) with the variant's name. Names: {@code default} is DL4J out of the box (the
 * generic build, layer helpers off), {@code shipped} is what shm runs (the oneDNN build with DL4J's oneDNN layer
 * helpers); any other name is a platform extension ({@code avx2}, {@code avx512}, {@code onednn-avx512}) with the
 * helpers on, and a {@code -nohelpers} suffix turns them off. Modifiers follow a {@code +}: {@code +threadsN} runs
 * ND4J, oneDNN and shm's Java kernels on N threads; {@code +glibc} has glibc's allocator keep freed memory (one
 * arena, no mmap per allocation, no trimming), as {@code MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0
 * MALLOC_TRIM_THRESHOLD_=64G} set before {@code mvn} would; {@code +thp} has it ask for transparent huge pages
 * for the large blocks it maps ({@code GLIBC_TUNABLES=glibc.malloc.hugetlb=1}); {@code +passive} has OpenMP's idle
 * threads sleep at once instead of spinning ({@code OMP_WAIT_POLICY=PASSIVE}); {@code +novector} leaves out the
 * module of shm's SIMD kernels, whose layers then run libnd4j's ops and the scalar Java kernels; {@code +runtime=DIR}
 * puts another build of shm-runtime's classes (DIR) ahead of this one, to measure an earlier version beside the
 * current one; {@code +Dname=value} sets a system property of the child (a benchmark's option) for this variant.
 */
final class Variants {
    private static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private Variants() {
    }

    /**
     * Runs every variant's child, the whole list {@code rounds} times over (system property {@code rounds}, 1 by
     * default), interleaved so that a change in the machine's load falls on every variant alike; after more than
     * one round, a table of each row's medians follows.
     */
    static void run(String variants, Class<?> main, List<String> properties) throws IOException, InterruptedException {
        int rounds = Integer.getInteger("rounds", 1);
        Map<String, List<String[]>> rows = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String listed : variants.split(",")) {
                String variant = listed.trim();
                for (String row : runChild(variant, main, properties)) {
                    System.out.println(row);
                    System.out.flush();
                    String[] cells = cells(row);
                    rows.computeIfAbsent(cells[0] + "|" + cells[1] + "|" + cells[2], key -> new ArrayList<>()).add(cells);
                }
            }
        }
        if (rounds > 1) {
            System.out.printf(Locale.ROOT, "%nMedians of %d interleaved rounds (lowest-highest):%n", rounds);
            for (List<String[]> group : rows.values()) {
                System.out.println("| " + String.join(" | ", Medians.of(group)) + " |");
            }
        }
    }

    /** The table rows a variant's child prints, with the variant's name. */
    private static List<String> runChild(String variant, Class<?> main, List<String> properties)
            throws IOException, InterruptedException {
        String[] parts = variant.split("\\+");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions(parts[0]));
        for (String property : properties) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        Map<String, String> environment = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            modify(parts[i], command, environment);
        }
        String classPath = classPath();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("runtime=")) {
                classPath = parts[i].substring("runtime=".length()) + File.pathSeparator + classPath;
            }
        }
        command.addAll(List.of("-cp", classPath, main.getName(), "child"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        List<String> rows = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("| ")) {
                    rows.add(line.replace("| VARIANT", "| " + variant));
                }
            }
        }
        if (process.waitFor() != 0) {
            rows.add("| " + variant + " | failed to run (exit " + process.exitValue() + ") | |");
        }
        return rows;
    }

    /** A table row's cells, trimmed, without the empty ones outside its first and last bars. */
    static String[] cells(String row) {
        String inner = row.substring(row.indexOf('|') + 1, row.lastIndexOf('|'));
        String[] cells = inner.split("\\|", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].trim();
        }
        String[] padded = Arrays.copyOf(cells, Math.max(3, cells.length));
        Arrays.fill(padded, cells.length, padded.length, "");
        return padded;
    }

    private static void modify(String modifier, List<String> command, Map<String, String> environment) {
        if (modifier.matches("threads[1-9][0-9]*")) {
            int threads = Integer.parseInt(modifier.substring("threads".length()));
            environment.put("OMP_NUM_THREADS", Integer.toString(threads));
            command.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + (threads - 1));
        } else if (modifier.equals("glibc")) {
            environment.put("MALLOC_ARENA_MAX", "1");
            environment.put("MALLOC_MMAP_MAX_", "0");
            environment.put("MALLOC_TRIM_THRESHOLD_", Long.toString(64L << 30));
        } else if (modifier.equals("passive")) {
            environment.put("OMP_WAIT_POLICY", "PASSIVE");
        } else if (modifier.equals("thp")) {
            environment.put("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1");
        } else if (modifier.equals("novector")) {
            command.remove(Backend.VECTOR_OPTION);
        } else if (modifier.matches("D[\\w.]+=.*")) {
            command.add("-" + modifier);
        } else if (!modifier.startsWith("runtime=")) {
            throw new IllegalArgumentException("unknown variant modifier '+" + modifier
                    + "': expected +threadsN, +glibc, +thp, +passive, +novector, +runtime=DIR or +Dname=value");
        }
    }

    static List<String> jvmOptions(String variant) {
        boolean helpers = !variant.equals("default") && !variant.endsWith("-nohelpers");
        String build = switch (variant) {
            case "default" -> "generic";
            case "shipped" -> "onednn";
            default -> variant.replaceFirst("-nohelpers$", "");
        };
        List<String> options = new ArrayList<>(List.of(
                "-D" + EXTENSION + "=" + (build.equals("generic") ? "" : "-" + build),
                "-D" + Backend.HELPERS_DISABLED + "=" + !helpers));
        if (helpers) {
            options.add(Backend.VECTOR_OPTION);
        }
        return options;
    }

    private static String classPath() {
        ClassLoader loader = Variants.class.getClassLoader();
        if (loader instanceof URLClassLoader urls) {
            List<String> entries = new ArrayList<>();
            for (URL url : urls.getURLs()) {
                entries.add(new File(url.getPath()).getPath());
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }
}
