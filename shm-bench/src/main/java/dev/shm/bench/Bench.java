package dev.shm.bench;

import java.util.Map;

/** Entry point of the timed harnesses: {@code Bench <name> [args...]}. */
public final class Bench {
    private static final Map<String, String> BENCHES = Map.of(
            "generate-data", "images per second of generate-data on 200 portraits, 1 thread against all cores",
            "train", "training images/s per phase at 160 and 320, forward latency and peak memory per native build");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : new String[0];
        switch (name) {
            case "generate-data" -> GenerateDataBench.main(rest);
            case "train" -> TrainBench.main(rest);
            default -> {
                System.err.println("Unknown benchmark '" + name + "'. Known:");
                BENCHES.forEach((key, text) -> System.err.println("  " + key + ": " + text));
                System.exit(2);
            }
        }
    }
}
