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
import java.util.List;

/**
 * Runs a benchmark's child JVM once per native configuration (a JVM loads one ND4J native build) and relays its
 * table rows ({@code | VARIANT | ...}) with the variant's name. Names: {@code default} is DL4J out of the box (the
 * generic build, layer helpers off), {@code shipped} is what shm runs (the oneDNN build with DL4J's oneDNN layer
 * helpers); any other name is a platform extension ({@code avx2}, {@code avx512}, {@code onednn-avx512}) with the
 * helpers on, and a {@code -nohelpers} suffix turns them off.
 */
final class Variants {
    private static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private Variants() {
    }

    static void run(String variants, Class<?> main, List<String> properties) throws IOException, InterruptedException {
        for (String listed : variants.split(",")) {
            String variant = listed.trim();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmOptions(variant));
            for (String property : properties) {
                if (System.getProperty(property) != null) {
                    command.add("-D" + property + "=" + System.getProperty(property));
                }
            }
            command.addAll(List.of("-cp", classPath(), main.getName(), "child"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("| ")) {
                        System.out.println(line.replace("| VARIANT", "| " + variant));
                        System.out.flush();
                    }
                }
            }
            if (process.waitFor() != 0) {
                System.out.println("| " + variant + " | failed to run (exit " + process.exitValue() + ") |");
            }
        }
    }

    static List<String> jvmOptions(String variant) {
        boolean helpers = !variant.equals("default") && !variant.endsWith("-nohelpers");
        String build = switch (variant) {
            case "default" -> "generic";
            case "shipped" -> "onednn";
            default -> variant.replaceFirst("-nohelpers$", "");
        };
        return List.of("-D" + EXTENSION + "=" + (build.equals("generic") ? "" : "-" + build),
                "-D" + Backend.HELPERS_DISABLED + "=" + !helpers);
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
