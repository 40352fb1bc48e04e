package dev.shm.bench;

import java.util.Map;

/** Entry point of the timed harnesses: {@code Bench <name> [args...]}. */
public final class Bench {
    private static final Map<String, String> BENCHES = Map.of(
            "generate-data", "images per second of generate-data on 200 portraits, 1 thread against all cores",
            "train", "training images/s per phase at 320, batch 8, and peak memory per variant (+threadsN, +glibc, +runtime=DIR)",
            "profile", "where one end-to-end training step's time goes, per layer type, forward and backward",
            "infer", "ms per image at 320: ONNX Runtime batch 1 and 8 against DL4J, and the GEMM compute floor",
            "eval", "images/s of model-mode shm:eval on 200 eg1800 portraits, ONNX Runtime against DL4J",
            "quality", "eval SAD/MSE/Grad/Conn after a fixed training budget, per training variant, beside trivial predictors",
            "epoch", "whole epochs of shm:train at 320, batch 8: steps, wait for data, batch-norm statistics, eval, the rest",
            "matte", "photos/s of shm:matte's front end on 600x800 photos against the bare ONNX Runtime call at batch 1",
            "refine", "eval ave SAD and Gradient of a model on eg1800 with and without the guided refinement",
            "parallel", "images/s and loss of T-Net training as a plain fit, averaged threads and Spark local[N]");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : new String[0];
        switch (name) {
            case "generate-data" -> GenerateDataBench.main(rest);
            case "train" -> TrainBench.main(rest);
            case "infer" -> InferBench.main(rest);
            case "eval" -> EvalBench.main(rest);
            case "profile" -> ProfileBench.main(rest);
            case "quality" -> QualityBench.main(rest);
            case "epoch" -> EpochBench.main(rest);
            case "matte" -> MatteBench.main(rest);
            case "refine" -> RefineBench.main(rest);
            case "parallel" -> ParallelBench.main(rest);
            default -> {
                System.err.println("Unknown benchmark '" + name + "'. Known:");
                BENCHES.forEach((key, text) -> System.err.println("  " + key + ": " + text));
                System.exit(2);
            }
        }
    }
}
